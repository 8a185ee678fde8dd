package org.videoforge.flink.pipeline;

import java.io.Serializable;
import org.videoforge.frame.Precision;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.ModelRef;

/** Settings every stage of one pipeline shares; serializable so that operators carry them. */
public final class PipelineConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Bounds of in-flight frames between stages, as in the original design (4 / 2 / 4). */
    public static final int DEFAULT_DECODE_QUEUE = 4;
    public static final int DEFAULT_INFERENCE_QUEUE = 2;
    public static final int DEFAULT_ENCODE_QUEUE = 4;

    private final ModelRef model;
    private final Precision precision;
    private final BackendKind backend;
    private final int device;
    private final long vramLimitBytes;
    private final int decodeQueue;
    private final int encodeQueue;
    private final int encoderThreads;
    private final int inferenceThreads;

    private PipelineConfig(Builder b) {
        this.model = b.model;
        this.precision = b.precision;
        this.backend = b.backend;
        this.device = b.device;
        this.vramLimitBytes = b.vramLimitBytes;
        this.decodeQueue = b.decodeQueue;
        this.encodeQueue = b.encodeQueue;
        this.encoderThreads = b.encoderThreads;
        this.inferenceThreads = b.inferenceThreads;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ModelRef model() {
        return model;
    }

    public Precision precision() {
        return precision;
    }

    public BackendKind backend() {
        return backend;
    }

    public int device() {
        return device;
    }

    /** Ceiling on device memory the engine holds, 0 for none. */
    public long vramLimitBytes() {
        return vramLimitBytes;
    }

    public int decodeQueue() {
        return decodeQueue;
    }

    public int encodeQueue() {
        return encodeQueue;
    }

    /** Threads of the software encoder; 0 lets it choose. */
    public int encoderThreads() {
        return encoderThreads;
    }

    /** ONNX Runtime intra-op threads on the CPU backend; 0 uses every core. */
    public int inferenceThreads() {
        return inferenceThreads;
    }

    /** Builder; defaults are the CLI's defaults. */
    public static final class Builder {
        private ModelRef model = ModelRef.of(null);
        private Precision precision = Precision.FP32;
        private BackendKind backend = BackendKind.CPU;
        private int device;
        private long vramLimitBytes;
        private int decodeQueue = DEFAULT_DECODE_QUEUE;
        private int encodeQueue = DEFAULT_ENCODE_QUEUE;
        private int encoderThreads;
        private int inferenceThreads;

        public Builder model(ModelRef v) {
            model = v;
            return this;
        }

        public Builder precision(Precision v) {
            precision = v;
            return this;
        }

        public Builder backend(BackendKind v) {
            backend = v;
            return this;
        }

        public Builder device(int v) {
            device = v;
            return this;
        }

        public Builder vramLimitBytes(long v) {
            vramLimitBytes = v;
            return this;
        }

        public Builder decodeQueue(int v) {
            decodeQueue = v;
            return this;
        }

        public Builder encodeQueue(int v) {
            encodeQueue = v;
            return this;
        }

        public Builder encoderThreads(int v) {
            encoderThreads = v;
            return this;
        }

        public Builder inferenceThreads(int v) {
            inferenceThreads = v;
            return this;
        }

        public PipelineConfig build() {
            if (decodeQueue < 1 || encodeQueue < 1) {
                throw new IllegalArgumentException("queue bounds must be >= 1");
            }
            return new PipelineConfig(this);
        }
    }
}
