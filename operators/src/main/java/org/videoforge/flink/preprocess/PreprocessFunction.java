package org.videoforge.flink.preprocess;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.metrics.PipelineMetrics;
import org.videoforge.flink.metrics.StageMetrics;
import org.videoforge.flink.metrics.TelemetryNames;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.device.FrameDevice;
import org.videoforge.flink.core.FrameDevices;

/**
 * The Preprocess stage: decoded NV12/P010 -> RGB planar tensor (NCHW, [0,1]) in the model's
 * precision, honouring the stream's matrix and range, on the slot's {@link FrameDevice}. Also records the Decode stage's telemetry,
 * which the source (having no accumulators) carries in the envelope.
 */
public final class PreprocessFunction extends RichMapFunction<FrameEnvelope, FrameEnvelope> {
    private static final long serialVersionUID = 1L;

    public static final String STAGE = "Preprocess";

    private final PipelineConfig config;
    private transient FrameDevice device;
    private transient StageMetrics metrics;
    private transient StageMetrics decodeMetrics;
    private transient LongCounter framesDecoded;
    private transient LongMaximum decodeQueuePeak;

    public PreprocessFunction(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        int gpu = FrameDevices.gpuIndex(getRuntimeContext(), config);
        device = FrameDevices.open(config, gpu);
        metrics = new StageMetrics("preprocess", getRuntimeContext());
        PipelineMetrics.memoryPool(getRuntimeContext().getMetricGroup(), FrameDevices.poolKey(config, gpu));
        decodeMetrics = new StageMetrics("decode", getRuntimeContext());
        framesDecoded = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.FRAMES_DECODED, new LongCounter());
        decodeQueuePeak = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.DECODE_QUEUE_PEAK,
                new LongMaximum());
    }

    @Override
    public FrameEnvelope map(FrameEnvelope envelope) {
        if (envelope.failure() != null) {
            return envelope;
        }
        decodeMetrics.frame(envelope.decodeNanos());
        framesDecoded.add(1L);
        decodeQueuePeak.add((long) envelope.decodeQueueDepth());
        long t0 = System.nanoTime();
        VideoStreamInfo video = envelope.video().source().video();
        FrameBuffer tensor;
        try {
            tensor = metrics.leased(device.toTensor(envelope.payload(), video,
                    envelope.video().precision(config.precision())));
        } catch (RuntimeException e) {
            envelope.close();
            throw e;
        }
        envelope.replacePayload(tensor, FrameEnvelope.Payload.INPUT_TENSOR, envelope.width(), envelope.height());
        metrics.hostCopies(device.hostCopies());
        long nanos = System.nanoTime() - t0;
        envelope.preprocessNanos(nanos);
        metrics.frame(nanos);
        return envelope;
    }

    @Override
    public void close() {
        if (device != null) {
            device.close();
        }
    }
}
