package org.videoforge.flink.preprocess;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.videoforge.color.CpuColorConverter;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.metrics.StageMetrics;
import org.videoforge.flink.metrics.TelemetryNames;
import org.videoforge.flink.pipeline.PipelineConfig;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.SharedPools;

/**
 * The Preprocess stage: decoded NV12/P010 -> RGB planar tensor (NCHW, [0,1]) in the model's
 * precision, honouring the stream's matrix and range. Also records the Decode stage's telemetry,
 * which the source (having no accumulators) carries in the envelope.
 */
public final class PreprocessFunction extends RichMapFunction<FrameEnvelope, FrameEnvelope> {
    private static final long serialVersionUID = 1L;

    public static final String STAGE = "Preprocess";

    private final PipelineConfig config;
    private transient SharedPools.Handle pool;
    private transient CpuColorConverter converter;
    private transient StageMetrics metrics;
    private transient StageMetrics decodeMetrics;
    private transient LongCounter framesDecoded;
    private transient LongMaximum decodeQueuePeak;

    public PreprocessFunction(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        pool = SharedPools.host();
        converter = new CpuColorConverter();
        metrics = new StageMetrics("preprocess", getRuntimeContext());
        decodeMetrics = new StageMetrics("decode", getRuntimeContext());
        framesDecoded = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.FRAMES_DECODED, new LongCounter());
        decodeQueuePeak = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.DECODE_QUEUE_PEAK,
                new LongMaximum());
    }

    @Override
    public FrameEnvelope map(FrameEnvelope envelope) {
        decodeMetrics.frame(envelope.decodeNanos());
        framesDecoded.add(1L);
        decodeQueuePeak.add((long) envelope.decodeQueueDepth());
        long t0 = System.nanoTime();
        VideoStreamInfo video = envelope.video().source().video();
        Precision precision = config.precision();
        int w = envelope.width();
        int h = envelope.height();
        FrameBuffer tensor = metrics.leased(pool.pool().acquire(precision.tensorBytes(1, h, w)));
        try {
            converter.yuvToRgbPlanar(envelope.payload().hostBytes(), video.pixelFormat(), w, h, video.color(),
                    new CpuColorConverter.TensorView(tensor.hostBytes(), 0, precision));
        } catch (RuntimeException e) {
            tensor.close();
            envelope.close();
            throw e;
        }
        envelope.replacePayload(tensor, FrameEnvelope.Payload.INPUT_TENSOR, w, h);
        metrics.frame(System.nanoTime() - t0);
        return envelope;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
