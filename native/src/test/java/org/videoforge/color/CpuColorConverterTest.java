package org.videoforge.color;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.videoforge.frame.Float16;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;

class CpuColorConverterTest {
    private final CpuColorConverter converter = new CpuColorConverter();

    private static ByteBuffer buffer(long bytes) {
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A 2x2 NV12 frame of one colour. */
    private static ByteBuffer nv12(int y, int cb, int cr) {
        ByteBuffer b = buffer(PixelFormat.NV12.frameBytes(2, 2));
        for (int i = 0; i < 4; i++) {
            b.put(i, (byte) y);
        }
        b.put(4, (byte) cb);
        b.put(5, (byte) cr);
        return b;
    }

    private float[] rgbOf(ByteBuffer yuv, PixelFormat f, ColorSpec spec) {
        ByteBuffer t = buffer(Precision.FP32.tensorBytes(1, 2, 2));
        converter.yuvToRgbPlanar(yuv, f, 2, 2, spec, new CpuColorConverter.TensorView(t, 0, Precision.FP32));
        return new float[] {t.getFloat(0), t.getFloat(16), t.getFloat(32)};
    }

    /** Reference code values from the standards' equations (ITU-R BT.601 / BT.709 tables). */
    @ParameterizedTest
    @CsvSource({
        // matrix, range, Y, Cb, Cr, R, G, B
        "BT709, LIMITED, 235, 128, 128, 1, 1, 1",
        "BT709, LIMITED, 16, 128, 128, 0, 0, 0",
        "BT709, LIMITED, 63, 102, 240, 1, 0, 0",
        "BT709, LIMITED, 173, 42, 26, 0, 1, 0",
        "BT709, LIMITED, 32, 240, 118, 0, 0, 1",
        "BT601, LIMITED, 81, 90, 240, 1, 0, 0",
        "BT601, LIMITED, 145, 54, 34, 0, 1, 0",
        "BT709, FULL, 255, 128, 128, 1, 1, 1",
        "BT709, FULL, 54, 99, 255, 1, 0, 0",
    })
    void knownColours(ColorMatrix m, ColorRange r, int y, int cb, int cr, float red, float green, float blue) {
        float[] rgb = rgbOf(nv12(y, cb, cr), PixelFormat.NV12, ColorSpec.of(m, r));
        assertEquals(red, rgb[0], 0.012, "R");
        assertEquals(green, rgb[1], 0.012, "G");
        assertEquals(blue, rgb[2], 0.012, "B");
    }

    @ParameterizedTest
    @EnumSource(ColorMatrix.class)
    void roundTripOfChromaConstantBlocksIsWithinOneCode(ColorMatrix m) {
        for (ColorRange r : ColorRange.values()) {
            for (PixelFormat f : PixelFormat.values()) {
                roundTrip(ColorSpec.of(m, r), f, 34, 20);
            }
        }
    }

    private void roundTrip(ColorSpec spec, PixelFormat f, int w, int h) {
        Random rnd = new Random(7);
        ByteBuffer rgb = buffer(Precision.FP32.tensorBytes(1, h, w));
        int plane = w * h;
        // Colours constant over each 2x2 block, so 4:2:0 subsampling loses nothing.
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                float[] c = {rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat()};
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int i = (y + dy) * w + x + dx;
                        for (int ch = 0; ch < 3; ch++) {
                            rgb.putFloat(4 * (ch * plane + i), c[ch]);
                        }
                    }
                }
            }
        }
        ByteBuffer yuv = buffer(f.frameBytes(w, h));
        converter.rgbPlanarToYuv(new CpuColorConverter.TensorView(rgb, 0, Precision.FP32), w, h, spec, f, yuv);
        ByteBuffer back = buffer(Precision.FP32.tensorBytes(1, h, w));
        converter.yuvToRgbPlanar(yuv, f, w, h, spec, new CpuColorConverter.TensorView(back, 0, Precision.FP32));
        double worst = 0;
        for (int i = 0; i < 3 * plane; i++) {
            float a = rgb.getFloat(4 * i);
            float b = back.getFloat(4 * i);
            // Saturated colours outside the YCbCr gamut clip; compare only in-range originals.
            worst = Math.max(worst, Math.abs(a - b));
        }
        // One 8-bit code step in Y and chroma moves RGB by at most ~2.5/255.
        double tolerance = f == PixelFormat.NV12 ? 3.0 / 255 : 3.0 / 1023;
        assertTrue(worst <= tolerance, spec + " " + f + " worst round-trip error " + worst);
    }

    @Test
    void p010CarriesTenBitCodesInTheHighBits() {
        ColorSpec spec = ColorSpec.of(ColorMatrix.BT2020, ColorRange.LIMITED);
        ByteBuffer yuv = buffer(PixelFormat.P010.frameBytes(2, 2));
        for (int i = 0; i < 4; i++) {
            yuv.putShort(2 * i, (short) (940 << 6));
        }
        yuv.putShort(8, (short) (512 << 6));
        yuv.putShort(10, (short) (512 << 6));
        float[] rgb = rgbOf(yuv, PixelFormat.P010, spec);
        assertEquals(1f, rgb[0], 1e-4);
        assertEquals(1f, rgb[1], 1e-4);
        assertEquals(1f, rgb[2], 1e-4);
    }

    @Test
    void fp16TensorMatchesFp32WithinHalfPrecision() {
        int w = 16;
        int h = 8;
        ByteBuffer yuv = buffer(PixelFormat.NV12.frameBytes(w, h));
        Random rnd = new Random(3);
        for (int i = 0; i < yuv.capacity(); i++) {
            yuv.put(i, (byte) (16 + rnd.nextInt(220)));
        }
        ColorSpec spec = ColorSpec.of(ColorMatrix.BT709, ColorRange.LIMITED);
        ByteBuffer f32 = buffer(Precision.FP32.tensorBytes(1, h, w));
        ByteBuffer f16 = buffer(Precision.FP16.tensorBytes(1, h, w));
        converter.yuvToRgbPlanar(yuv, PixelFormat.NV12, w, h, spec, new CpuColorConverter.TensorView(f32, 0, Precision.FP32));
        converter.yuvToRgbPlanar(yuv, PixelFormat.NV12, w, h, spec, new CpuColorConverter.TensorView(f16, 0, Precision.FP16));
        for (int i = 0; i < 3 * w * h; i++) {
            assertEquals(f32.getFloat(4 * i), Float16.toFloat(f16.getShort(2 * i)), 1e-3);
        }
    }
}
