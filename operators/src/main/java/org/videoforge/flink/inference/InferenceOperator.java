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
import org.videoforge.flink.core.FrameDevices;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.inference.InferenceBackend;

/**
 * The Inference stage: collects input tensors into micro-batches ({@link FrameBatcher}: up to
 * {@code --max-batch} frames, or fewer once the first has waited {@code --batch-deadline-us}) and
 * queues the model over each batch ({@link FrameInference}). Up to {@link #IN_FLIGHT} batches are
 * queued on the device at once ({@link InFlightBatches}), so this task thread decodes and prepares
 * the next frame while the GPU computes; a batch leaves when the next launch needs its room, when
 * its run is seen done, or at the latest one batch deadline after its launch. Nothing is held back
 * across a checkpoint barrier, a failed frame or the end of input: each first finishes every frame
 * before it. One backend (session) per parallel instance, opened in {@code open()}.
 */
public final class InferenceOperator extends AbstractStreamOperator<FrameEnvelope>
        implements OneInputStreamOperator<FrameEnvelope, FrameEnvelope>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    public static final String STAGE = "Inference";

    /**
     * Batches queued on the device at once: one computing and one queued behind it, so the GPU
     * never waits for this thread (the original design's inference queue of 2).
     */
    static final int IN_FLIGHT = 2;

    private final PipelineConfig config;
    private transient FrameDevice device;
    private transient ModelBackends backends;
    private transient FrameBatcher batcher;
    private transient FrameInference inference;
    private transient InFlightBatches inFlight;
    private transient LongCounter runs;
    private transient LongCounter waited;
    private transient long waitedReported;

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
        inFlight = new InFlightBatches(IN_FLIGHT);
        StageMetrics.queueDepth(getMetricGroup(), "inference", inFlight::size);
        runs = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.INFERENCE_RUNS, new LongCounter());
        waited = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.INFERENCE_WAIT_NANOS, new LongCounter());
    }

    @Override
    public void processElement(StreamRecord<FrameEnvelope> element) {
        FrameEnvelope frame = element.getValue();
        if (frame.failure() != null) {
            drain(); // keep order: the failure ends its video after the frames before it
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

    /** Launches the collected batch, if any, emitting the batches that make room for it or are done. */
    private void flush() {
        List<FrameEnvelope> batch = batcher.take();
        if (batch.isEmpty()) {
            return;
        }
        inFlight.makeRoom(this::emit);
        long sequence = inFlight.add(inference.launch(batch));
        runs.add(1L);
        inFlight.finishDone(this::emit);
        if (!inFlight.isEmpty()) {
            // If no frame follows soon, this batch still leaves one deadline from now.
            getProcessingTimeService().registerTimer(now() + batcher.deadlineMillis(),
                    time -> inFlight.finishThrough(sequence, this::emit));
        }
    }

    /** Flushes the collected frames and finishes every batch in flight. */
    private void drain() {
        flush();
        inFlight.finishAll(this::emit);
    }

    private void emit(LaunchedBatch batch) {
        inference.record(batch);
        waited.add(inFlight.waitedNanos() - waitedReported);
        waitedReported = inFlight.waitedNanos();
        for (FrameEnvelope frame : batch.frames()) {
            output.collect(new StreamRecord<>(frame));
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        drain();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        drain();
    }

    @Override
    public void close() throws Exception {
        try {
            // Only after a failure: endInput drained the rest.
            if (inFlight != null) {
                inFlight.abandonAll();
            }
            if (batcher != null) {
                batcher.take().forEach(FrameEnvelope::close);
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
