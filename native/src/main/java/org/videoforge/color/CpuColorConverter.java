package org.videoforge.color;

import java.nio.ByteBuffer;
import org.videoforge.frame.Float16;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;

/**
 * Host-memory conversion between NV12/P010 frames and RGB planar tensors (NCHW, [0,1]), for the
 * CPU backends and as the numerical oracle of the CUDA kernels. Chroma is upsampled by
 * replication and downsampled by a 2x2 box average; the GPU kernels do the same.
 * Stateless and thread-safe.
 */
public final class CpuColorConverter {

    /** The tensor-side description of one frame: size, element type and where in the buffer. */
    public static final class TensorView {
        final ByteBuffer bytes;
        final long offset;
        final Precision precision;

        public TensorView(ByteBuffer bytes, long offset, Precision precision) {
            this.bytes = bytes;
            this.offset = offset;
            this.precision = precision;
        }
    }

    /**
     * YUV 4:2:0 semi-planar (tight pitch, see {@link PixelFormat#pitch}) to a [3,h,w] tensor
     * at {@code dst.offset}.
     */
    public void yuvToRgbPlanar(ByteBuffer src, PixelFormat format, int width, int height, ColorSpec spec,
                               TensorView dst) {
        YuvCoefficients k = YuvCoefficients.of(spec, format.bitDepth());
        SampleReader in = SampleReader.of(format, src);
        int pitch = format.pitch(width) / format.bytesPerSample();
        long chromaBase = (long) pitch * height;
        long plane = (long) width * height;
        TensorWriter out = TensorWriter.of(dst);
        for (int y = 0; y < height; y++) {
            long chromaRow = chromaBase + (long) (y >> 1) * pitch;
            long lumaRow = (long) y * pitch;
            long outRow = (long) y * width;
            for (int x = 0; x < width; x++) {
                long c = chromaRow + (x & ~1);
                float yn = (in.get(lumaRow + x) - k.yOffset) / k.yScale;
                float cb = (in.get(c) - k.cOffset) / k.cScale;
                float cr = (in.get(c + 1) - k.cOffset) / k.cScale;
                long i = outRow + x;
                out.put(i, clamp01(yn + k.rFromCr * cr));
                out.put(plane + i, clamp01(yn - k.gFromCb * cb - k.gFromCr * cr));
                out.put(2 * plane + i, clamp01(yn + k.bFromCb * cb));
            }
        }
    }

    /** A [3,h,w] tensor at {@code src.offset} to YUV 4:2:0 semi-planar (tight pitch). */
    public void rgbPlanarToYuv(TensorView src, int width, int height, ColorSpec spec, PixelFormat format,
                               ByteBuffer dst) {
        YuvCoefficients k = YuvCoefficients.of(spec, format.bitDepth());
        TensorReader in = TensorReader.of(src);
        SampleWriter out = SampleWriter.of(format, dst);
        int pitch = format.pitch(width) / format.bytesPerSample();
        long plane = (long) width * height;
        for (int y = 0; y < height; y++) {
            long row = (long) y * width;
            for (int x = 0; x < width; x++) {
                long i = row + x;
                float yn = k.kr * in.get(i) + k.kg * in.get(plane + i) + k.kb * in.get(2 * plane + i);
                out.put((long) y * pitch + x, quantise(k.yOffset + k.yScale * yn, k.maxCode));
            }
        }
        long chromaBase = (long) pitch * height;
        int chromaWidth = PixelFormat.evenUp(width) / 2;
        for (int cy = 0; cy < PixelFormat.chromaHeight(height); cy++) {
            for (int cx = 0; cx < chromaWidth; cx++) {
                float sumCb = 0;
                float sumCr = 0;
                for (int dy = 0; dy < 2; dy++) {
                    int y = Math.min(2 * cy + dy, height - 1);
                    for (int dx = 0; dx < 2; dx++) {
                        int x = Math.min(2 * cx + dx, width - 1);
                        long i = (long) y * width + x;
                        float r = in.get(i);
                        float g = in.get(plane + i);
                        float b = in.get(2 * plane + i);
                        float yn = k.kr * r + k.kg * g + k.kb * b;
                        sumCb += (b - yn) / k.bFromCb;
                        sumCr += (r - yn) / k.rFromCr;
                    }
                }
                long c = chromaBase + (long) cy * pitch + 2L * cx;
                out.put(c, quantise(k.cOffset + k.cScale * sumCb * 0.25f, k.maxCode));
                out.put(c + 1, quantise(k.cOffset + k.cScale * sumCr * 0.25f, k.maxCode));
            }
        }
    }

    static float clamp01(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    static int quantise(float v, float max) {
        int q = Math.round(v);
        return q < 0 ? 0 : (int) Math.min(q, max);
    }

    /** Reads code values: bytes for NV12, the high 10 bits of 16-bit words for P010. */
    private interface SampleReader {
        float get(long index);

        static SampleReader of(PixelFormat f, ByteBuffer b) {
            if (f == PixelFormat.NV12) {
                return i -> b.get((int) i) & 0xff;
            }
            return i -> (b.getShort((int) (2 * i)) & 0xffff) >>> 6;
        }
    }

    private interface SampleWriter {
        void put(long index, int code);

        static SampleWriter of(PixelFormat f, ByteBuffer b) {
            if (f == PixelFormat.NV12) {
                return (i, v) -> b.put((int) i, (byte) v);
            }
            return (i, v) -> b.putShort((int) (2 * i), (short) (v << 6));
        }
    }

    private interface TensorWriter {
        void put(long index, float v);

        static TensorWriter of(TensorView t) {
            int base = (int) t.offset;
            if (t.precision == Precision.FP32) {
                return (i, v) -> t.bytes.putFloat(base + (int) (4 * i), v);
            }
            return (i, v) -> t.bytes.putShort(base + (int) (2 * i), Float16.fromFloat(v));
        }
    }

    private interface TensorReader {
        float get(long index);

        static TensorReader of(TensorView t) {
            int base = (int) t.offset;
            if (t.precision == Precision.FP32) {
                return i -> clamp01(t.bytes.getFloat(base + (int) (4 * i)));
            }
            return i -> clamp01(Float16.toFloat(t.bytes.getShort(base + (int) (2 * i))));
        }
    }
}
