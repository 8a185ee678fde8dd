package org.videoforge.flink.inference;

import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.videoforge.device.FrameDevice;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.metrics.StageMetrics;
import org.videoforge.flink.metrics.TelemetryNames;
import org.videoforge.flink.pipeline.FrameDevices;
import org.videoforge.flink.pipeline.PipelineConfig;
import org.videoforge.inference.InferenceBackend;

/**
 * The Inference stage: collects input tensors into micro-batches ({@link FrameBatcher}: up to
 * {@code --max-batch} frames, or fewer once the first has waited {@code --batch-deadline-us}) and
 * runs the model over each batch ({@link FrameInference}). Nothing is held back across a
 * checkpoint barrier or past the end of input: both flush the collected frames first. One backend
 * (session) per parallel instance, opened in {@code open()}.
 */
public final class InferenceOperator extends AbstractStreamOperator<FrameEnvelope>
        implements OneInputStreamOperator<FrameEnvelope, FrameEnvelope>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    public static final String STAGE = "Inference";

    private final PipelineConfig config;
    private transient FrameDevice device;
    private transient ModelBackends backends;
    private transient FrameBatcher batcher;
    private transient FrameInference inference;
    private transient LongCounter runs;

    public InferenceOperator(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public void open() throws Exception {
        super.open();
        int gpu = FrameDevices.gpuIndex(getRuntimeContext(), config);
        device = FrameDevices.open(config, gpu);
        backends = new ModelBackends(config, gpu);
        // The job's own model, loaded before the first frame; requests may name others (ModelBackends).
        InferenceBackend backend = backends.get(config.model(), config.precision());
        int maxBatch = config.maxBatch();
        if (maxBatch > 1 && !backend.model().dynamicBatch()) {
            LOG.warn("The model takes one frame per run (fixed batch dimension): --max-batch {} is ignored", maxBatch);
            maxBatch = 1;
        }
        batcher = new FrameBatcher(maxBatch, config.batchDeadlineMicros());
        inference = new FrameInference(backends, device, config, new StageMetrics("inference", getRuntimeContext()));
        runs = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.INFERENCE_RUNS, new LongCounter());
    }

    @Override
    public void processElement(StreamRecord<FrameEnvelope> element) {
        FrameEnvelope frame = element.getValue();
        if (frame.failure() != null) {
            flush(); // keep order: the failure ends its video after the frames before it
            output.collect(element);
            return;
        }
        if (batcher.incompatible(frame)) {
            flush();
        }
        boolean first = batcher.isEmpty();
        if (batcher.add(frame, now())) {
            flush();
        } else if (first) {
            // Timers run on the task thread, between elements, so no locking is needed.
            getProcessingTimeService().registerTimer(batcher.dueAt(), time -> {
                if (batcher.due(time)) {
                    flush();
                }
            });
        }
    }

    private long now() {
        return getProcessingTimeService().getCurrentProcessingTime();
    }

    private void flush() {
        List<FrameEnvelope> batch = batcher.take();
        if (batch.isEmpty()) {
            return;
        }
        inference.run(batch);
        runs.add(1L);
        for (FrameEnvelope frame : batch) {
            output.collect(new StreamRecord<>(frame));
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        flush();
    }

    @Override
    public void close() throws Exception {
        try {
            if (batcher != null) {
                batcher.take().forEach(FrameEnvelope::close); // only after a failure: endInput flushed the rest
            }
            if (backends != null) {
                backends.close();
            }
            if (device != null) {
                device.close();
            }
        } finally {
            super.close();
        }
    }
}
