package org.videoforge.flink.inference;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.metrics.StageMetrics;
import org.videoforge.flink.pipeline.PipelineConfig;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.ModelSpec;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.device.FrameDevice;
import org.videoforge.flink.pipeline.FrameDevices;

/**
 * The Inference stage: runs the model on the envelope's input tensor, into a pooled output
 * tensor bound in place. One backend (session) per parallel instance, opened in {@code open()}.
 */
public final class InferenceFunction extends RichMapFunction<FrameEnvelope, FrameEnvelope> {
    private static final long serialVersionUID = 1L;

    public static final String STAGE = "Inference";

    private final PipelineConfig config;
    private transient FrameDevice device;
    private transient ModelBackends backends;
    private transient StageMetrics metrics;

    public InferenceFunction(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        int gpu = FrameDevices.gpuIndex(getRuntimeContext(), config);
        device = FrameDevices.open(config, gpu);
        backends = new ModelBackends(config, gpu);
        backends.get(config.model(), config.precision()); // load the default model before the first frame
        metrics = new StageMetrics("inference", getRuntimeContext());
    }

    @Override
    public FrameEnvelope map(FrameEnvelope envelope) {
        if (envelope.failure() != null) {
            return envelope;
        }
        long t0 = System.nanoTime();
        InferenceBackend backend = backends.get(envelope.video().model(config.model()),
                envelope.video().precision(config.precision()));
        ModelSpec model = backend.model();
        int s = model.scale();
        int w = envelope.width();
        int h = envelope.height();
        int batch = 1;
        FrameBuffer out = metrics.leased(device.acquire(model.precision().tensorBytes(batch, h * s, w * s)));
        try {
            backend.run(envelope.payload(), out, batch, h, w);
        } catch (RuntimeException e) {
            out.close();
            envelope.close();
            throw e;
        }
        envelope.replacePayload(out, FrameEnvelope.Payload.OUTPUT_TENSOR, w * s, h * s);
        long nanos = System.nanoTime() - t0;
        envelope.inferenceNanos(nanos);
        metrics.batchOf(batch);
        metrics.frame(nanos);
        return envelope;
    }

    @Override
    public void close() {
        if (backends != null) {
            backends.close();
        }
        if (device != null) {
            device.close();
        }
    }
}
