package org.videoforge.flink.inference;

import java.util.HashMap;
import java.util.Map;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.frame.Precision;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.backends.InferenceBackends;
import org.videoforge.inference.ModelRef;

/**
 * The inference sessions of one slot, one per (model, precision) that requests have asked for:
 * opened on first use (loading a model is seconds, running a frame milliseconds) and kept until
 * the operator closes. A CLI run uses exactly one.
 */
final class ModelBackends implements AutoCloseable {
    private final PipelineConfig config;
    private final int gpu;
    private final Map<Key, InferenceBackend> open = new HashMap<>();

    ModelBackends(PipelineConfig config, int gpu) {
        this.config = config;
        this.gpu = gpu;
    }

    InferenceBackend get(ModelRef model, Precision precision) {
        return open.computeIfAbsent(new Key(model.reference(), precision),
                k -> InferenceBackends.open(config.backend(), model, precision, gpu, config.inferenceThreads(),
                        config.maxBatch()));
    }

    @Override
    public void close() {
        open.values().forEach(InferenceBackend::close);
        open.clear();
    }

    private record Key(String model, Precision precision) {
    }
}
