package org.videoforge.model;

import java.util.Random;

/** Seeded test inputs and layout helpers for the model tests. */
final class TestImages {
    private TestImages() {
    }

    /** A smooth-ish random [1,3,h,w] image in [0,1] (gradients plus noise, like a real picture). */
    static OrtCpu.Tensor random(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] d = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0.5 + 0.3 * Math.sin((x + 2 * c) * 0.7) * Math.cos(y * 0.5) + 0.15 * r.nextGaussian();
                    d[(c * h + y) * w + x] = (float) Math.min(1, Math.max(0, v));
                }
            }
        }
        return new OrtCpu.Tensor(new long[] {1, 3, h, w}, d);
    }

    /** Nearest-neighbour upscale of an NCHW [1,3,h,w] tensor by s. */
    static float[] nearest(OrtCpu.Tensor t, int s) {
        int h = (int) t.shape()[2];
        int w = (int) t.shape()[3];
        float[] o = new float[3 * h * s * w * s];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h * s; y++) {
                for (int x = 0; x < w * s; x++) {
                    o[(c * h * s + y) * w * s + x] = t.data()[(c * h + y / s) * w + x / s];
                }
            }
        }
        return o;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }
}
