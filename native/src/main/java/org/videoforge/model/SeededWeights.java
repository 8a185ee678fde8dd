package org.videoforge.model;

import java.util.Arrays;
import java.util.Random;

/**
 * Deterministic stand-in weights for the generated architectures: the same seed gives the same
 * values on every JVM (java.util.Random's sequence is specified), so generated models are
 * byte-identical from run to run.
 */
final class SeededWeights {
    private final Random random;

    SeededWeights(long seed) {
        this.random = new Random(seed);
    }

    /** A k x k convolution with weights ~ N(0, (gain / sqrt(fan_in))^2) and zero bias. */
    ConvWeights conv(int out, int in, int kernel, double gain) {
        return conv(out, in, kernel, gain, 0f);
    }

    /** As {@link #conv(int, int, int, double)} with every bias set to {@code bias}. */
    ConvWeights conv(int out, int in, int kernel, double gain, float bias) {
        double std = gain / Math.sqrt((double) in * kernel * kernel);
        float[] w = new float[out * in * kernel * kernel];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * std);
        }
        float[] b = new float[out];
        Arrays.fill(b, bias);
        return new ConvWeights(out, in, kernel, kernel, w, b);
    }

    static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
    }
}
