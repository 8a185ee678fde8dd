package org.videoforge.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.videoforge.frame.Precision;

/**
 * Real-ESRGAN's SRVGGNetCompact (the realesr-animevideov3 architecture) with seeded weights:
 * conv 3-&gt;64 + PReLU, 16 x (conv 64-&gt;64 + PReLU), conv 64-&gt;3*s*s, PixelShuffle(s), plus the
 * nearest-upsampled input. Same compute and tensor shapes as the trained model, for tests and
 * benchmarks.
 *
 * <p>Weights: the feature convs are Kaiming-normal for PReLU(0.25), so activations keep their
 * scale through the body, and the last conv is 0.1/sqrt(fan_in), so the learned residual is small
 * and the output stays close to the nearest-upsampled input (roughly in [0,1]).
 */
public final class SrVggNetCompact {
    public static final int NUM_FEAT = 64;
    public static final int NUM_CONV = 16;
    static final float PRELU_SLOPE = 0.25f;

    private SrVggNetCompact() {
    }

    /** ONNX model bytes, input "input" [N,3,H,W], output "output" [N,3,H*scale,W*scale]. */
    public static byte[] build(int scale, Precision precision, long seed) {
        return graph(scale, precision, seed).build();
    }

    /**
     * As {@link #build}, with every convolution quantized to {@code type} (explicit Q/DQ,
     * {@link OnnxGraphBuilder#quantizeConvs}) at one input range for all: a model for measuring int8 or
     * FP8 speed, which the ranges do not change.
     */
    public static byte[] buildQuantized(int scale, Precision precision, long seed, float inputRange,
                                        OnnxGraphBuilder.Quantized type) {
        Map<String, Float> ranges = new HashMap<>();
        for (int i = 0; i <= NUM_CONV + 1; i++) {
            ranges.put("body." + 2 * i, inputRange); // the convolutions: body.0, body.2, ..., body.(2 NUM_CONV + 2)
        }
        return graph(new OnnxGraphBuilder("SRVGGNetCompact_x" + scale, precision).quantizeConvs(ranges, Set.of(), type),
                scale, seed).build();
    }

    static OnnxGraphBuilder graph(int scale, Precision precision, long seed) {
        return graph(new OnnxGraphBuilder("SRVGGNetCompact_x" + scale, precision), scale, seed);
    }

    private static OnnxGraphBuilder graph(OnnxGraphBuilder g, int scale, long seed) {
        if (scale < 1 || scale > 8) {
            throw new IllegalArgumentException("scale must be 1..8, not " + scale);
        }
        SeededWeights w = new SeededWeights(seed);
        double featureGain = Math.sqrt(2.0 / (1 + PRELU_SLOPE * PRELU_SLOPE));
        String x = g.input(ModelShapes.INPUT, ModelShapes.inputDims());
        String feat = g.conv("body.0", x, w.conv(NUM_FEAT, 3, 3, featureGain));
        feat = g.prelu("body.1", feat, SeededWeights.filled(NUM_FEAT, PRELU_SLOPE));
        for (int i = 0; i < NUM_CONV; i++) {
            feat = g.conv("body." + (2 * i + 2), feat, w.conv(NUM_FEAT, NUM_FEAT, 3, featureGain));
            feat = g.prelu("body." + (2 * i + 3), feat, SeededWeights.filled(NUM_FEAT, PRELU_SLOPE));
        }
        String residual = g.conv("body." + (2 * NUM_CONV + 2), feat, w.conv(3 * scale * scale, NUM_FEAT, 3, 0.1));
        String shuffled = g.depthToSpace(residual, scale, "CRD");
        String base = g.resizeNearest(x, scale, scale);
        g.output(g.add(shuffled, base), ModelShapes.OUTPUT, ModelShapes.outputDims());
        return g;
    }
}
