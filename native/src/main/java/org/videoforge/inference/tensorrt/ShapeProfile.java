package org.videoforge.inference.tensorrt;

import java.util.Arrays;
import java.util.Objects;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.inference.ModelSpec;

/**
 * The one TensorRT optimization profile of an engine: min / opt / max NCHW shapes of the model's
 * input. A super-resolution model runs at one frame size per video, so H and W are pinned to the
 * video's size and only the batch varies: a model with a dynamic batch axis gets
 * min = (1,3,h,w), opt = (optBatch,3,h,w), max = (maxBatch,3,h,w); a fixed-batch model gets batch 1
 * throughout. A model with fixed spatial axes must be given exactly its size. Immutable value class.
 */
public final class ShapeProfile {
    /** Largest batch an engine is built for: activation memory grows linearly with it. */
    public static final int MAX_BATCH = 64;
    /** Largest input side accepted (8K is 7680 wide). */
    public static final int MAX_SIDE = 16384;

    private final String inputName;
    private final long[] min;
    private final long[] opt;
    private final long[] max;

    private ShapeProfile(String inputName, long[] min, long[] opt, long[] max) {
        this.inputName = inputName;
        this.min = min;
        this.opt = opt;
        this.max = max;
    }

    /** The profile for {@code height x width} frames, optimised for (and capped at) {@code maxBatch}. */
    public static ShapeProfile forVideo(ModelSpec spec, int height, int width, int maxBatch) {
        return forVideo(spec, height, width, maxBatch, maxBatch);
    }

    /**
     * The profile for {@code height x width} frames in batches of 1..{@code maxBatch}, tuned for
     * {@code optBatch}. INVALID_ARGUMENT for sizes or batches out of range or inconsistent;
     * MODEL_SHAPE_MISMATCH where the model's fixed axes cannot take the request.
     */
    public static ShapeProfile forVideo(ModelSpec spec, int height, int width, int optBatch, int maxBatch) {
        Objects.requireNonNull(spec, "spec");
        if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "frame size " + width + "x" + height
                    + " is out of range for a TensorRT profile (1.." + MAX_SIDE + " per side)");
        }
        if (maxBatch < 1 || maxBatch > MAX_BATCH) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "maximum batch " + maxBatch
                    + " is out of range for a TensorRT profile (1.." + MAX_BATCH + ")");
        }
        if (optBatch < 1 || optBatch > maxBatch) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "optimal batch " + optBatch
                    + " must lie in 1..maxBatch (" + maxBatch + ")");
        }
        if (spec.fixedHeight() > 0 && spec.fixedHeight() != height
                || spec.fixedWidth() > 0 && spec.fixedWidth() != width) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "model (" + spec + ") takes "
                    + side(spec.fixedWidth()) + "x" + side(spec.fixedHeight()) + " input, but the frames are "
                    + width + "x" + height + "; use a model with dynamic height and width");
        }
        if (!spec.dynamicBatch() && maxBatch > 1) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "model (" + spec + ") has a fixed batch of 1;"
                    + " a maximum batch of " + maxBatch + " needs a model with a dynamic batch axis");
        }
        // min batch 1 on dynamic models, so the last, partial batch of a video runs on the same engine
        return new ShapeProfile(spec.inputName(),
                new long[] {1, 3, height, width},
                new long[] {optBatch, 3, height, width},
                new long[] {maxBatch, 3, height, width});
    }

    private static String side(int fixed) {
        return fixed > 0 ? Integer.toString(fixed) : "any";
    }

    public String inputName() {
        return inputName;
    }

    /** NCHW; copies. */
    public long[] min() {
        return min.clone();
    }

    public long[] opt() {
        return opt.clone();
    }

    public long[] max() {
        return max.clone();
    }

    public int height() {
        return (int) opt[2];
    }

    public int width() {
        return (int) opt[3];
    }

    public int optBatch() {
        return (int) opt[0];
    }

    public int maxBatch() {
        return (int) max[0];
    }

    /** True if min and max differ (the engine needs the profile's dynamic range). */
    public boolean variesInBatch() {
        return min[0] != max[0];
    }

    /** True if a run of {@code batch} frames of {@code height x width} lies within this profile. */
    public boolean accepts(int batch, int height, int width) {
        return batch >= min[0] && batch <= max[0] && height == opt[2] && width == opt[3];
    }

    /** True if frames of {@code height x width} are the size this profile was made for. */
    public boolean isFor(int height, int width) {
        return height == opt[2] && width == opt[3];
    }

    /** The stable text hashed into engine cache keys, e.g. "input:1x3x360x640/4x3x360x640/4x3x360x640". */
    public String canonical() {
        return inputName + ":" + dims(min) + "/" + dims(opt) + "/" + dims(max);
    }

    static String dims(long[] d) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            if (i > 0) {
                b.append('x');
            }
            b.append(d[i]);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ShapeProfile)) {
            return false;
        }
        ShapeProfile p = (ShapeProfile) o;
        return inputName.equals(p.inputName) && Arrays.equals(min, p.min) && Arrays.equals(opt, p.opt)
                && Arrays.equals(max, p.max);
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    @Override
    public String toString() {
        return "profile " + inputName + " min " + dims(min) + " opt " + dims(opt) + " max " + dims(max);
    }
}
