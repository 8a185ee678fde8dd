package org.videoforge.frame;

/** Decoded-frame layouts the pipeline carries between decode and encode: 4:2:0 semi-planar. */
public enum PixelFormat {
    /** 8-bit luma plane, then interleaved UV at half resolution. */
    NV12(8, 1),
    /** 10-bit samples in the high bits of little-endian 16-bit words, NV12 layout. */
    P010(10, 2);

    private final int bitDepth;
    private final int bytesPerSample;

    PixelFormat(int bitDepth, int bytesPerSample) {
        this.bitDepth = bitDepth;
        this.bytesPerSample = bytesPerSample;
    }

    public int bitDepth() {
        return bitDepth;
    }

    public int bytesPerSample() {
        return bytesPerSample;
    }

    /** Tightly packed size: luma plane plus half-height interleaved chroma plane. */
    public long frameBytes(int width, int height) {
        return (long) pitch(width) * (height + chromaHeight(height));
    }

    /** Row pitch in bytes; tight (the CPU path needs no alignment padding). */
    public int pitch(int width) {
        return evenUp(width) * bytesPerSample;
    }

    public static int chromaHeight(int height) {
        return (height + 1) / 2;
    }

    public static int evenUp(int v) {
        return (v + 1) & ~1;
    }

    public static PixelFormat forBitDepth(int bits) {
        return bits > 8 ? P010 : NV12;
    }
}
