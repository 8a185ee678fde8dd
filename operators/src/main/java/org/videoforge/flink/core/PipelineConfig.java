package org.videoforge.flink.core;

import java.io.Serializable;
import java.util.List;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.frame.Precision;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.tiling.TilePlan;

/** Settings every stage of one pipeline shares; serializable so that operators carry them. */
public final class PipelineConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Bounds of in-flight frames between stages: the original design's 4 / 2 / 4, with the encode
     * queue deepened to 12 (and bounded in bytes too: the encode stage's EncoderWorker.QUEUE_MIB) to
     * give x264's stalls room at a GPU's pace (docs/BENCHMARKS.md, "What sets the pace end to end").
     */
    public static final int DEFAULT_DECODE_QUEUE = 4;
    public static final int DEFAULT_INFERENCE_QUEUE = 2;
    public static final int DEFAULT_ENCODE_QUEUE = 12;
    /** Micro-batching defaults (the original design's): one frame per run, flushed within 8 ms. */
    public static final int DEFAULT_MAX_BATCH = 1;
    public static final long DEFAULT_BATCH_DEADLINE_MICROS = 8000;
    /** Overlap of neighbouring tiles, in input pixels, when frames are tiled. */
    public static final int DEFAULT_TILE_OVERLAP = 16;

    private final ModelRef model;
    private final Precision precision;
    private final BackendKind backend;
    private final List<Integer> devices;
    private final long vramLimitBytes;
    private final int decodeQueue;
    private final int encodeQueue;
    private final int encoderThreads;
    private final String encoderPreset;
    private final int inferenceThreads;
    private final int maxBatch;
    private final long batchDeadlineMicros;
    private final int tileSize;
    private final int tileOverlap;

    private PipelineConfig(Builder b) {
        this.model = b.model;
        this.precision = b.precision;
        this.backend = b.backend;
        this.devices = List.copyOf(b.devices);
        this.vramLimitBytes = b.vramLimitBytes;
        this.decodeQueue = b.decodeQueue;
        this.encodeQueue = b.encodeQueue;
        this.encoderThreads = b.encoderThreads;
        this.encoderPreset = b.encoderPreset;
        this.inferenceThreads = b.inferenceThreads;
        this.maxBatch = b.maxBatch;
        this.batchDeadlineMicros = b.batchDeadlineMicros;
        this.tileSize = b.tileSize;
        this.tileOverlap = b.tileOverlap;
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

    /** The first of {@link #devices()}: the GPU of a single chain. */
    public int device() {
        return devices.get(0);
    }

    /**
     * The GPUs local frame-path slots spread over, slot k on {@code devices().get(k % size)}, where
     * Flink's external resource names none (the embedded cluster): see {@link FrameDevices#gpuIndex}.
     */
    public List<Integer> devices() {
        return devices;
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

    /** x264/x265 preset of the software encoder (speed against compression). */
    public String encoderPreset() {
        return encoderPreset;
    }

    /** ONNX Runtime intra-op threads on the CPU backend; 0 uses every core. */
    public int inferenceThreads() {
        return inferenceThreads;
    }

    /** Most frames inferred in one run (micro-batching); 1 runs every frame alone. */
    public int maxBatch() {
        return maxBatch;
    }

    /** Longest a frame waits for its batch to fill, in microseconds, before a partial batch runs. */
    public long batchDeadlineMicros() {
        return batchDeadlineMicros;
    }

    /** Tile side in input pixels for tiled inference; 0 tiles only when the VRAM budget requires it. */
    public int tileSize() {
        return tileSize;
    }

    public int tileOverlap() {
        return tileOverlap;
    }

    /** Builder; defaults are the CLI's defaults. */
    public static final class Builder {
        private ModelRef model = ModelRef.of(null);
        private Precision precision = Precision.FP32;
        private BackendKind backend = BackendKind.CPU;
        private List<Integer> devices = List.of(0);
        private long vramLimitBytes;
        private int decodeQueue = DEFAULT_DECODE_QUEUE;
        private int encodeQueue = DEFAULT_ENCODE_QUEUE;
        private int encoderThreads;
        private String encoderPreset = EncoderSettings.DEFAULT_PRESET;
        private int inferenceThreads;
        private int maxBatch = DEFAULT_MAX_BATCH;
        private long batchDeadlineMicros = DEFAULT_BATCH_DEADLINE_MICROS;
        private int tileSize;
        private int tileOverlap = DEFAULT_TILE_OVERLAP;

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
            devices = List.of(v);
            return this;
        }

        public Builder devices(List<Integer> v) {
            if (v.isEmpty() || v.stream().anyMatch(d -> d < 0) || v.stream().distinct().count() != v.size()) {
                throw new IllegalArgumentException("devices must be distinct CUDA indices >= 0, not " + v);
            }
            devices = List.copyOf(v);
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

        public Builder encoderPreset(String v) {
            encoderPreset = v;
            return this;
        }

        public Builder inferenceThreads(int v) {
            inferenceThreads = v;
            return this;
        }

        public Builder maxBatch(int v) {
            maxBatch = v;
            return this;
        }

        public Builder batchDeadlineMicros(long v) {
            batchDeadlineMicros = v;
            return this;
        }

        public Builder tileSize(int v) {
            tileSize = v;
            return this;
        }

        public Builder tileOverlap(int v) {
            tileOverlap = v;
            return this;
        }

        public PipelineConfig build() {
            if (decodeQueue < 1 || encodeQueue < 1) {
                throw new IllegalArgumentException("queue bounds must be >= 1: decode queue " + decodeQueue
                        + ", encode queue " + encodeQueue);
            }
            if (!EncoderSettings.PRESETS.contains(encoderPreset)) {
                throw new IllegalArgumentException("unknown --encoder-preset '" + encoderPreset + "': one of "
                        + EncoderSettings.PRESETS);
            }
            if (maxBatch < 1 || batchDeadlineMicros < 0) {
                throw new IllegalArgumentException("--max-batch must be >= 1 and --batch-deadline-us >= 0");
            }
            if (tileSize != 0) {
                TilePlan.of(tileSize, tileSize, tileSize, tileOverlap, 1); // refuses a tile too small for its overlap
            }
            return new PipelineConfig(this);
        }
    }
}
