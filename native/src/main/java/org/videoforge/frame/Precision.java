package org.videoforge.frame;

/** Element type of the RGB planar tensors fed to and read from the model. */
public enum Precision {
    FP32(4),
    FP16(2);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** Bytes of an N x 3 x H x W tensor. */
    public long tensorBytes(int batch, int height, int width) {
        return (long) batch * 3 * height * width * bytes;
    }

    public static Precision parse(String s) {
        switch (s.toLowerCase()) {
            case "fp32":
                return FP32;
            case "fp16":
                return FP16;
            default:
                throw new IllegalArgumentException("precision must be fp32 or fp16, not " + s);
        }
    }
}
