package org.videoforge.flink.encode;

import org.videoforge.flink.core.TempOutputs;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.metrics.FrameGapAccumulator;
import org.videoforge.flink.metrics.StageMetrics;
import org.videoforge.flink.metrics.TelemetryNames;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.device.FrameDevice;
import org.videoforge.flink.core.FrameDevices;

/**
 * The Encode stage: hands upscaled frames to an {@link EncoderWorker} thread (postprocess + encode)
 * through the bounded encode queue, and emits an {@link EncodedVideo} when a video's file is
 * complete under its temporary name. Before a checkpoint barrier and at the end of input it waits
 * for the queue to drain, so no frame is in flight outside Flink's view.
 */
public final class EncodeOperator extends AbstractStreamOperator<EncodedVideo>
        implements OneInputStreamOperator<FrameEnvelope, EncodedVideo>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    public static final String STAGE = "Encode";

    private final PipelineConfig config;
    private transient FrameDevice device;
    private transient EncoderWorker worker;
    private transient StageMetrics metrics;
    private transient LongCounter framesEncoded;
    private transient LongCounter videosCompleted;
    private transient LongMaximum queuePeak;
    private transient LongCounter queueWait;
    private transient LongCounter encoderOpenNanos;
    private transient LongCounter encoderFinishNanos;
    private transient LongCounter encoderFiles;
    private transient FrameGapAccumulator gaps;
    private transient LongMinimum firstDone;
    private transient LongMaximum lastDone;
    private transient EncoderProgress reported;

    public EncodeOperator(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public void open() throws Exception {
        super.open();
        device = FrameDevices.open(config, FrameDevices.gpuIndex(getRuntimeContext(), config));
        worker = new EncoderWorker(device, config.precision(), config.encodeQueue(), config.encoderThreads(),
                config.encoderPreset(),
                "videoforge-encoder-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        metrics = new StageMetrics("encode", getRuntimeContext());
        framesEncoded = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.FRAMES_ENCODED, new LongCounter());
        videosCompleted = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.VIDEOS_COMPLETED,
                new LongCounter());
        queuePeak = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.ENCODE_QUEUE_PEAK, new LongMaximum());
        queueWait = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.ENCODE_WAIT_NANOS, new LongCounter());
        firstDone = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.ENCODE_FIRST_MILLIS, new LongMinimum());
        lastDone = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.ENCODE_LAST_MILLIS, new LongMaximum());
        encoderOpenNanos = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.ENCODER_OPEN_NANOS,
                new LongCounter());
        encoderFinishNanos = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.ENCODER_FINISH_NANOS,
                new LongCounter());
        encoderFiles = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.ENCODER_FILES, new LongCounter());
        gaps = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.ENCODE_GAPS, new FrameGapAccumulator());
        reported = EncoderProgress.NONE;
        StageMetrics.queueDepth(getMetricGroup(), "encode", worker::queueDepth);
    }

    @Override
    public void processElement(StreamRecord<FrameEnvelope> element) throws Exception {
        worker.submit(element.getValue());
        publishProgress();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        worker.awaitIdle();
        publishProgress();
    }

    @Override
    public void endInput() throws Exception {
        worker.awaitIdle();
        publishProgress();
        if (worker.openVideos() > 0) {
            throw new EngineError(ErrorCode.INTERNAL, worker.openVideos()
                    + " video(s) ended without their last frame reaching the encoder");
        }
    }

    /** Moves what the worker did since the last call into Flink (task thread only) and emits finished videos. */
    private void publishProgress() {
        EncoderProgress now = worker.progress();
        EncoderProgress d = now.since(reported);
        reported = now;
        framesEncoded.add(d.framesEncoded());
        metrics.addPoolCounts(d.poolHits(), d.poolMisses());
        metrics.hostCopies(device.hostCopies());
        worker.drainLatencies(metrics::frame);
        queuePeak.add((long) d.peakQueueDepth());
        queueWait.add(d.submitWaitNanos());
        encoderOpenNanos.add(d.openNanos());
        encoderFinishNanos.add(d.finishNanos());
        encoderFiles.add(d.filesOpened());
        gaps.add(worker.gaps());
        if (d.firstDoneMillis() != 0) {
            firstDone.add(d.firstDoneMillis());
            lastDone.add(d.lastDoneMillis());
        }
        EncodedVideo done;
        while ((done = worker.pollCompleted()) != null) {
            videosCompleted.add(1L);
            output.collect(new StreamRecord<>(done));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (worker != null) {
                worker.close();
                EncodedVideo unpublished;
                while ((unpublished = worker.pollCompleted()) != null) {
                    if (unpublished.succeeded()) { // a failed video has no file
                        TempOutputs.discard(java.nio.file.Paths.get(unpublished.getTempPath()));
                    }
                }
            }
        } finally {
            if (device != null) {
                device.close();
            }
            super.close();
        }
    }
}
