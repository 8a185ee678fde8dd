package org.videoforge.model;

import java.util.ArrayList;
import java.util.List;
import org.videoforge.frame.Precision;

/**
 * ESRGAN's RRDBNet (as in Real-ESRGAN x4plus: 64 features, growth 32, 23 RRDB blocks, x4) with
 * seeded weights, for tests and benchmarks. conv_first, 23 x RRDB (each 3 residual dense blocks
 * of 5 convs with dense concatenation, residuals scaled by 0.2), conv_body + skip, then twice
 * (nearest x2, conv, LeakyReLU 0.2), conv_hr + LeakyReLU, conv_last.
 *
 * <p>Weights are LeCun-normal (1/sqrt(fan_in)); conv_body is scaled down by the trunk's growth
 * (1.2 per block) and conv_last is 0.1/sqrt(fan_in) with bias 0.5, so outputs stay around 0.5
 * whatever the block count.
 */
public final class RrdbNet {
    public static final int SCALE = 4;
    public static final int NUM_FEAT = 64;
    public static final int NUM_GROW = 32;
    public static final int NUM_BLOCKS = 23;
    static final float LRELU_SLOPE = 0.2f;
    static final float RESIDUAL_SCALE = 0.2f;

    private RrdbNet() {
    }

    /** The full x4 model (23 RRDB blocks, 16,697,987 parameters). */
    public static byte[] build(Precision precision, long seed) {
        return build(NUM_BLOCKS, precision, seed);
    }

    /** The x4 model with {@code blocks} RRDB blocks (fewer make quick tests). */
    public static byte[] build(int blocks, Precision precision, long seed) {
        return graph(blocks, precision, seed).build();
    }

    static OnnxGraphBuilder graph(int blocks, Precision precision, long seed) {
        if (blocks < 1) {
            throw new IllegalArgumentException("need at least one RRDB block, not " + blocks);
        }
        SeededWeights w = new SeededWeights(seed);
        OnnxGraphBuilder g = new OnnxGraphBuilder("RRDBNet_x4_" + blocks + "b", precision);
        String x = g.input(ModelShapes.INPUT, ModelShapes.inputDims());
        String feat = g.conv("conv_first", x, w.conv(NUM_FEAT, 3, 3, 1));
        String body = feat;
        for (int b = 0; b < blocks; b++) {
            body = rrdb(g, w, "body." + b, body);
        }
        // Each RRDB is about x + 0.2 * x with untrained weights, so the trunk grows 1.2^blocks;
        // conv_body scales it back so that the skip sum, and the output, stay near the input's range.
        double trunkGain = Math.pow(1 + RESIDUAL_SCALE, -blocks);
        body = g.conv("conv_body", body, w.conv(NUM_FEAT, NUM_FEAT, 3, trunkGain));
        feat = g.add(feat, body);
        for (int up = 1; up <= 2; up++) {
            feat = g.resizeNearest(feat, 2, 2);
            feat = g.leakyRelu(g.conv("conv_up" + up, feat, w.conv(NUM_FEAT, NUM_FEAT, 3, 1)), LRELU_SLOPE);
        }
        feat = g.leakyRelu(g.conv("conv_hr", feat, w.conv(NUM_FEAT, NUM_FEAT, 3, 1)), LRELU_SLOPE);
        String out = g.conv("conv_last", feat, w.conv(3, NUM_FEAT, 3, 0.1, 0.5f));
        g.output(out, ModelShapes.OUTPUT, ModelShapes.outputDims());
        return g;
    }

    private static String rrdb(OnnxGraphBuilder g, SeededWeights w, String name, String x) {
        String out = x;
        for (int i = 1; i <= 3; i++) {
            out = residualDenseBlock(g, w, name + ".rdb" + i, out);
        }
        return g.add(g.mul(out, RESIDUAL_SCALE), x);
    }

    private static String residualDenseBlock(OnnxGraphBuilder g, SeededWeights w, String name, String x) {
        List<String> dense = new ArrayList<>(List.of(x));
        for (int i = 1; i <= 4; i++) {
            String in = dense.size() == 1 ? x : g.concat(1, dense);
            int inChannels = NUM_FEAT + (i - 1) * NUM_GROW;
            dense.add(g.leakyRelu(g.conv(name + ".conv" + i, in, w.conv(NUM_GROW, inChannels, 3, 1)), LRELU_SLOPE));
        }
        String c5 = g.conv(name + ".conv5", g.concat(1, dense), w.conv(NUM_FEAT, NUM_FEAT + 4 * NUM_GROW, 3, 1));
        return g.add(g.mul(c5, RESIDUAL_SCALE), x);
    }
}
