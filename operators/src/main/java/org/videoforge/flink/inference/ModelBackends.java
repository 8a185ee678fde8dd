package org.videoforge.flink.inference;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.videoforge.flink.pipeline.PipelineConfig;
import org.videoforge.frame.Precision;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.InferenceBackends;
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
                k -> InferenceBackends.open(config.backend(), model, precision, gpu, config.inferenceThreads()));
    }

    @Override
    public void close() {
        open.values().forEach(InferenceBackend::close);
        open.clear();
    }

    private static final class Key {
        final String model;
        final Precision precision;

        Key(String model, Precision precision) {
            this.model = model;
            this.precision = precision;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).model.equals(model) && ((Key) o).precision == precision;
        }

        @Override
        public int hashCode() {
            return Objects.hash(model, precision);
        }
    }
}
