package org.videoforge.model;

import java.util.Arrays;
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
     * How the graph ends: pixel shuffle of the last convolution plus the nearest-upscaled input.
     * Every form computes the same values (to FP16 rounding); they differ in the layers an engine
     * builder is given, so each can be timed (TensorRtBenchmark).
     */
    public enum Tail {
        /** DepthToSpace(CRD) + Resize(nearest): as PyTorch exports the model. */
        RESIZE,
        /**
         * The last convolution's output channels in DCR order plus the input tiled s*s times, added
         * before the upscale (at the input's size), then DepthToSpace(DCR).
         */
        TILE,
        /** DepthToSpace(CRD) + the input upscaled by a ConvTranspose (kernel = stride = s, weights 1). */
        DECONV_UP,
        /** Both upscales as ConvTransposes (the pixel shuffle's weights 0 and 1), then Add. */
        DECONV_BOTH
    }

    /** As {@link #build(int, Precision, long)}, ending in {@code tail}. */
    public static byte[] build(int scale, Precision precision, long seed, Tail tail) {
        return graph(new OnnxGraphBuilder("SRVGGNetCompact_x" + scale, precision), scale, seed, tail).build();
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
            ranges.put(layer(2 * i), inputRange); // the convolutions are the even layers
        }
        return graph(new OnnxGraphBuilder("SRVGGNetCompact_x" + scale, precision).quantizeConvs(ranges, Set.of(), type),
                scale, seed, Tail.RESIZE).build();
    }

    static OnnxGraphBuilder graph(int scale, Precision precision, long seed) {
        return graph(new OnnxGraphBuilder("SRVGGNetCompact_x" + scale, precision), scale, seed, Tail.RESIZE);
    }

    private static OnnxGraphBuilder graph(OnnxGraphBuilder g, int scale, long seed, Tail tail) {
        if (scale < 1 || scale > 8) {
            throw new IllegalArgumentException("scale must be 1..8, not " + scale);
        }
        SeededWeights w = new SeededWeights(seed);
        double featureGain = Math.sqrt(2.0 / (1 + PRELU_SLOPE * PRELU_SLOPE));
        String x = g.input(ModelShapes.INPUT, ModelShapes.inputDims());
        String feat = g.conv(layer(0), x, w.conv(NUM_FEAT, 3, 3, featureGain));
        feat = g.prelu(layer(1), feat, SeededWeights.filled(NUM_FEAT, PRELU_SLOPE));
        for (int i = 0; i < NUM_CONV; i++) {
            feat = g.conv(layer(2 * i + 2), feat, w.conv(NUM_FEAT, NUM_FEAT, 3, featureGain));
            feat = g.prelu(layer(2 * i + 3), feat, SeededWeights.filled(NUM_FEAT, PRELU_SLOPE));
        }
        ConvWeights last = w.conv(3 * scale * scale, NUM_FEAT, 3, 0.1);
        String lastName = layer(2 * NUM_CONV + 2);
        String out = switch (tail) {
            case RESIZE -> g.add(g.depthToSpace(g.conv(lastName, feat, last), scale, "CRD"),
                    g.resizeNearest(x, scale, scale));
            case TILE -> g.depthToSpace(g.add(g.conv(lastName, feat, inDcrOrder(last, scale)),
                    g.tile(x, 1, (long) scale * scale, 1, 1)), scale, "DCR");
            case DECONV_UP -> g.add(g.depthToSpace(g.conv(lastName, feat, last), scale, "CRD"), upscaled(g, x, scale));
            case DECONV_BOTH -> g.add(pixelShuffled(g, g.conv(lastName, feat, last), scale), upscaled(g, x, scale));
        };
        g.output(out, ModelShapes.OUTPUT, ModelShapes.outputDims());
        return g;
    }

    /** Layer {@code i} of the body, as PyTorch names it: body.0 (conv), body.1 (PReLU), ... */
    private static String layer(int i) {
        return "body." + i;
    }

    /** The convolution with its output channels moved from CRD order (c s^2 + k) to DCR's (k 3 + c). */
    private static ConvWeights inDcrOrder(ConvWeights w, int scale) {
        int blocks = scale * scale;
        int per = w.inChannels() * w.kernelH() * w.kernelW();
        float[] weight = new float[w.weight().length];
        float[] bias = new float[w.outChannels()];
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < blocks; k++) {
                int from = c * blocks + k;
                int to = k * 3 + c;
                System.arraycopy(w.weight(), from * per, weight, to * per, per);
                bias[to] = w.bias()[from];
            }
        }
        return new ConvWeights(w.outChannels(), w.inChannels(), w.kernelH(), w.kernelW(), weight, bias);
    }

    /** Nearest upscaling of the 3-channel input as a grouped ConvTranspose with weights 1. */
    private static String upscaled(OnnxGraphBuilder g, String x, int scale) {
        float[] ones = new float[3 * scale * scale];
        Arrays.fill(ones, 1f);
        return g.convTranspose("upscale", x, ones, 3, 1, scale, 3);
    }

    /** DepthToSpace(CRD) as a ConvTranspose: group c takes channels c s^2 + k, k to block pixel k. */
    private static String pixelShuffled(OnnxGraphBuilder g, String residual, int scale) {
        int blocks = scale * scale;
        float[] weight = new float[3 * blocks * blocks]; // [3 s^2, 1, s, s]
        for (int ci = 0; ci < 3 * blocks; ci++) {
            weight[ci * blocks + ci % blocks] = 1f; // block pixel (i, j) = k = i s + j of channel c s^2 + k
        }
        return g.convTranspose("shuffle", residual, weight, 3 * blocks, 1, scale, 3);
    }
}
