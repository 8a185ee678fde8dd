package org.videoforge.inference;

import java.nio.ByteBuffer;
import java.util.Random;
import org.videoforge.frame.Float16;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;

/** Host tensors for inference tests: a textured test image in, floats out, PSNR between outputs. */
public final class TestTensors {
    private TestTensors() {
    }

    /** A [3,h,w] image in [0,1]: smooth colour gradients, a sinusoid weave and grain (seeded). */
    public static void fillImage(FrameBuffer tensor, Precision p, int w, int h, long seed) {
        Random rnd = new Random(seed);
        ByteBuffer b = tensor.hostBytes();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0.2 + 0.5 * (x + (c + 1) * y) / (w + 3.0 * h)
                            + 0.12 * Math.sin(x * 0.7 + c) * Math.cos(y * 0.45) + 0.05 * rnd.nextDouble();
                    put(b, p, (c * h + y) * w + x, (float) Math.max(0, Math.min(1, v)));
                }
            }
        }
    }

    public static void put(ByteBuffer b, Precision p, int index, float v) {
        if (p == Precision.FP32) {
            b.putFloat(index * 4, v);
        } else {
            b.putShort(index * 2, Float16.fromFloat(v));
        }
    }

    public static float[] read(FrameBuffer tensor, Precision p, int count) {
        ByteBuffer b = tensor.hostBytes();
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = p == Precision.FP32 ? b.getFloat(i * 4) : Float16.toFloat(b.getShort(i * 2));
        }
        return out;
    }

    /** PSNR of {@code b} against {@code a}, peak 1.0; infinite when identical. */
    public static double psnr(float[] a, float[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            se += d * d;
        }
        return se == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(a.length / se);
    }
}
