package org.videoforge.frame;

/**
 * The blend weights of one inferred tile, separable in x and y: each axis has an optional rising
 * ramp (towards the previous tile) and an optional falling ramp (towards the next), in tile-local
 * output pixels. Neighbouring tiles share the ramp's start and length, so their weights sum to
 * exactly 1 over the overlap and the blend is seamless; length 0 means no ramp (weight 1, a frame
 * border). A pixel's weight is {@code weight(x) * weightY(y)}.
 */
public record Feather(int riseX, int riseXLength, int fallX, int fallXLength,
                      int riseY, int riseYLength, int fallY, int fallYLength) {
    /** Weight 1 everywhere: a tile that covers the whole frame. */
    public static final Feather NONE = new Feather(0, 0, 0, 0, 0, 0, 0, 0);

    public float weightX(int x) {
        return ramp(x, riseX, riseXLength, fallX, fallXLength);
    }

    public float weightY(int y) {
        return ramp(y, riseY, riseYLength, fallY, fallYLength);
    }

    /** The formula of tensor_kernels.cu's {@code ramp}, so both paths weigh alike. */
    static float ramp(int p, int rise, int riseLength, int fall, int fallLength) {
        float w = 1f;
        if (riseLength > 0) {
            w *= clamp01((p - rise + 0.5f) / riseLength);
        }
        if (fallLength > 0) {
            w *= clamp01((fall + fallLength - p - 0.5f) / fallLength);
        }
        return w;
    }

    private static float clamp01(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
