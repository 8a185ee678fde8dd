package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.videoforge.frame.Precision;
import org.videoforge.model.OnnxGraphBuilder.Dim;

/** Each op helper, run through ONNX Runtime against a hand computation. */
class OnnxGraphBuilderTest {

    private static final Dim[] NCHW = {Dim.param("N"), Dim.param("C"), Dim.param("H"), Dim.param("W")};

    private static float[] iota(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static OrtCpu.Tensor run(OnnxGraphBuilder g, OrtCpu.Tensor in) {
        try (OrtCpu ort = new OrtCpu(g.build())) {
            return ort.run(in, g.precision());
        }
    }

    @Test
    void modelHeaderAndSignature() {
        OnnxGraphBuilder g = new OnnxGraphBuilder("t", Precision.FP16);
        String x = g.input("input", ModelShapes.inputDims());
        g.output(g.relu(x), "output", ModelShapes.outputDims());
        OnnxModelReader m = OnnxModelReader.read(g.build());
        assertEquals(8, m.irVersion);
        assertEquals("", m.opsetDomain);
        assertEquals(17, m.opsetVersion);
        assertEquals(List.of(new OnnxModelReader.ValueInfo("input", 10, List.of("N", "3", "H", "W"))), m.inputs);
        assertEquals(List.of(new OnnxModelReader.ValueInfo("output", 10, List.of("N", "3", "H_out", "W_out"))),
                m.outputs);
        assertEquals(List.of("Relu", "Identity"), m.nodes.stream().map(OnnxModelReader.Node::opType).toList());
    }

    @Test
    void depthToSpaceCrdIsPixelShuffle() {
        int r = 2;
        int c = 2;
        int h = 2;
        int w = 3;
        OnnxGraphBuilder g = new OnnxGraphBuilder("t", Precision.FP32);
        g.output(g.depthToSpace(g.input("x", NCHW), r, "CRD"), "y", NCHW);
        float[] in = iota(c * r * r * h * w);
        OrtCpu.Tensor out = run(g, new OrtCpu.Tensor(new long[] {1, c * r * r, h, w}, in));
        assertArrayEquals(new long[] {1, c, h * r, w * r}, out.shape());
        // PixelShuffle: out[ch][y*r+i][x*r+j] = in[ch*r*r + i*r + j][y][x]
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h * r; y++) {
                for (int x = 0; x < w * r; x++) {
                    int src = ((ch * r * r + (y % r) * r + x % r) * h + y / r) * w + x / r;
                    assertEquals(in[src], out.data()[(ch * h * r + y) * w * r + x]);
                }
            }
        }
    }

    @Test
    void resizeNearestRepeatsPixels() {
        OnnxGraphBuilder g = new OnnxGraphBuilder("t", Precision.FP32);
        g.output(g.resizeNearest(g.input("x", NCHW), 3, 2), "y", NCHW);
        float[] in = iota(2 * 2 * 3);
        OrtCpu.Tensor out = run(g, new OrtCpu.Tensor(new long[] {1, 2, 2, 3}, in));
        assertArrayEquals(new long[] {1, 2, 6, 6}, out.shape());
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    assertEquals(in[(c * 2 + y / 3) * 3 + x / 2], out.data()[(c * 6 + y) * 6 + x]);
                }
            }
        }
    }

    @Test
    void convWithAsymmetricPadsAndActivations() {
        // 2 -> 3 channels, 2x2 kernel, pads top/left 0, bottom/right 1 (TF "same" for even kernels)
        float[] weight = new float[3 * 2 * 2 * 2];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (i % 5 - 2) * 0.25f;
        }
        ConvWeights w = new ConvWeights(3, 2, 2, 2, weight, new float[] {0.5f, -1f, 0f});
        OnnxGraphBuilder g = new OnnxGraphBuilder("t", Precision.FP32);
        String input = g.input("x", NCHW);
        String conv = g.conv("c", input, w, new int[] {0, 0, 1, 1});
        String prelu = g.prelu("p", conv, new float[] {0.1f, 0.2f, 0.3f});
        String leaky = g.leakyRelu(prelu, 0.5f);
        String both = g.concat(1, List.of(g.relu(leaky), g.mul(leaky, 2f)));
        g.output(g.clip(g.add(both, both), -3f, 3f), "y", NCHW);
        int h = 3;
        int wd = 4;
        float[] in = new float[2 * h * wd];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) Math.sin(i);
        }
        OrtCpu.Tensor out = run(g, new OrtCpu.Tensor(new long[] {1, 2, h, wd}, in));
        assertArrayEquals(new long[] {1, 6, h, wd}, out.shape());
        float[] slopes = {0.1f, 0.2f, 0.3f};
        for (int o = 0; o < 3; o++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < wd; x++) {
                    double acc = w.bias()[o];
                    for (int i = 0; i < 2; i++) {
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                if (y + dy < h && x + dx < wd) {
                                    acc += weight[((o * 2 + i) * 2 + dy) * 2 + dx] * in[(i * h + y + dy) * wd + x + dx];
                                }
                            }
                        }
                    }
                    double p = acc < 0 ? acc * slopes[o] : acc;
                    double l = p < 0 ? p * 0.5 : p;
                    double relu = Math.max(0, l);
                    assertEquals(Math.min(3, 2 * relu), out.data()[(o * h + y) * wd + x], 1e-5);
                    assertEquals(Math.max(-3, Math.min(3, 4 * l)), out.data()[((o + 3) * h + y) * wd + x], 1e-5);
                }
            }
        }
    }

    @Test
    void countsOnlyWeightsAsParameters() {
        OnnxGraphBuilder g = new OnnxGraphBuilder("t", Precision.FP32);
        String x = g.input("x", NCHW);
        x = g.conv("c", x, new ConvWeights(4, 3, 3, 3, new float[4 * 3 * 9], new float[4]));
        x = g.prelu("p", g.mul(g.resizeNearest(x, 2, 2), 3f), new float[4]);
        g.output(x, "y", NCHW);
        assertEquals(4 * 3 * 9 + 4 + 4, g.parameterCount());
        // the resize scales and the Mul factor are stored too, but are constants
        assertEquals(g.parameterCount() + 4 + 1, OnnxModelReader.read(g.build()).initializerElements());
    }

    @Test
    void rejectsDuplicateNamesAndBadShapes() {
        OnnxGraphBuilder g = new OnnxGraphBuilder("t", Precision.FP32);
        g.input("x", NCHW);
        assertThrows(IllegalArgumentException.class, () -> g.input("x", NCHW));
        assertThrows(IllegalArgumentException.class, () -> g.weight("w", new float[3], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new ConvWeights(2, 2, 3, 3, new float[10], new float[2]));
    }

    @Test
    void hwioKernelsAreTransposedToOihw() {
        int kh = 2;
        int kw = 3;
        int in = 4;
        int out = 5;
        float[] hwio = iota(kh * kw * in * out);
        ConvWeights w = ConvWeights.fromHwio(hwio, kh, kw, in, out, new float[out]);
        assertEquals(hwio[((1 * kw + 2) * in + 3) * out + 4], w.weight()[((4 * in + 3) * kh + 1) * kw + 2]);
        assertEquals(hwio[((0 * kw + 1) * in + 2) * out + 0], w.weight()[((0 * in + 2) * kh + 0) * kw + 1]);
    }

    /** x -> conv "a" (1x1, weight 0.5, bias 0.25) -> relu -> conv "b" (1x1, weight -2, bias 0) -> y. */
    private static OnnxGraphBuilder twoConvs(OnnxGraphBuilder g) {
        String x = g.input("x", NCHW);
        String a = g.conv("a", x, new ConvWeights(1, 1, 1, 1, new float[] {0.5f}, new float[] {0.25f}));
        String b = g.conv("b", g.relu(a), new ConvWeights(1, 1, 1, 1, new float[] {-2f}, new float[] {0f}));
        g.output(b, "y", NCHW);
        return g;
    }

    @Test
    void tappedConvolutionInputsAreExtraOutputsAndLeaveTheOutputAlone() {
        float[] in = {-1f, 0.1f, 0.7f, 2f};
        OrtCpu.Tensor x = new OrtCpu.Tensor(new long[] {1, 1, 2, 2}, in);
        OnnxGraphBuilder tapped = twoConvs(new OnnxGraphBuilder("t", Precision.FP32).tapConvInputs());
        Map<String, OrtCpu.Tensor> out;
        try (OrtCpu ort = new OrtCpu(tapped.build())) {
            out = ort.runAll(x, Precision.FP32);
        }
        assertEquals(List.of("tap:a", "tap:b", "y"), List.copyOf(out.keySet()));
        assertArrayEquals(in, out.get("tap:a").data());
        assertArrayEquals(new float[] {0f, 0.3f, 0.6f, 1.25f}, out.get("tap:b").data(), 1e-6f); // relu(0.5 x + 0.25)
        assertArrayEquals(run(twoConvs(new OnnxGraphBuilder("t", Precision.FP32)), x).data(), out.get("y").data());
    }

    @Test
    void int8ConvolutionsSeeTheirInputOnSymmetricInt8Steps() {
        // Ranges 1.27 and 1.0: input steps of 0.01 and 1/127; weights 0.5 and -2 are exact (127 steps).
        OnnxGraphBuilder g = twoConvs(new OnnxGraphBuilder("t", Precision.FP32)
                .quantizeConvs(Map.of("a", 1.27f, "b", 1.0f)));
        float[] in = {0.123f, -0.456f, 1.5f, -2f};
        OrtCpu.Tensor y = run(g, new OrtCpu.Tensor(new long[] {1, 1, 2, 2}, in));
        float[] expected = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            float xq = Math.max(-127, Math.min(127, Math.round(in[i] / 0.01f))) * 0.01f; // saturates at +-1.27
            float a = Math.max(0, 0.5f * xq + 0.25f);
            float aq = Math.max(-127, Math.min(127, Math.round(a * 127f))) / 127f;
            expected[i] = -2f * aq;
        }
        assertArrayEquals(expected, y.data(), 1e-5f);
        float[] exact = run(twoConvs(new OnnxGraphBuilder("t", Precision.FP32)),
                new OrtCpu.Tensor(new long[] {1, 1, 2, 2}, in)).data();
        assertTrue(Math.abs(exact[0] - y.data()[0]) > 1e-4, "0.123 is not on a step: int8 must differ from float");
    }

    @Test
    void aConvolutionKeptFloatSeesItsInputUnrounded() {
        OnnxGraphBuilder g = twoConvs(new OnnxGraphBuilder("t", Precision.FP32)
                .quantizeConvs(Map.of("a", 1.27f), Set.of("b")));
        float[] in = {0.123f, -0.456f, 1.5f, -2f};
        OrtCpu.Tensor y = run(g, new OrtCpu.Tensor(new long[] {1, 1, 2, 2}, in));
        for (int i = 0; i < in.length; i++) {
            float xq = Math.max(-127, Math.min(127, Math.round(in[i] / 0.01f))) * 0.01f;
            assertEquals(-2f * Math.max(0, 0.5f * xq + 0.25f), y.data()[i], 1e-6f, "element " + i);
        }
    }

    @Test
    void anFp16Int8GraphIsOpset19AndRunsCloseToTheFp32One() {
        OnnxGraphBuilder g = twoConvs(new OnnxGraphBuilder("t", Precision.FP16)
                .quantizeConvs(Map.of("a", 1.27f, "b", 1.0f)));
        byte[] model = g.build();
        assertEquals(19, OnnxModelReader.read(model).opsetVersion);
        assertEquals(17, OnnxModelReader.read(twoConvs(new OnnxGraphBuilder("t", Precision.FP16)).build()).opsetVersion);
        float[] in = {0.123f, -0.456f, 1.5f, -2f};
        OrtCpu.Tensor x = new OrtCpu.Tensor(new long[] {1, 1, 2, 2}, in);
        float[] fp32 = run(twoConvs(new OnnxGraphBuilder("t", Precision.FP32).quantizeConvs(Map.of("a", 1.27f, "b", 1.0f))),
                x).data();
        // FP16 scales and arithmetic: the same int8 steps, to FP16's precision (the outputs are about 1).
        assertArrayEquals(fp32, run(g, x).data(), 2e-3f);
    }

    @Test
    void fp8ConvolutionsSeeTheirInputOnE4m3Steps() {
        // Range 448: scale 1, so the input lands on E4M3's own values: 3 mantissa bits, saturating at 448.
        OnnxGraphBuilder g = twoConvs(new OnnxGraphBuilder("t", Precision.FP32)
                .quantizeConvs(Map.of("a", 448f), Set.of("b"), OnnxGraphBuilder.Quantized.FP8_E4M3));
        assertEquals(19, OnnxModelReader.read(g.build()).opsetVersion);
        float[] in = {17f, 300f, 500f, -3.3f};
        // 17 -> 16 (steps of 2 in [16, 32), a tie to the even mantissa); 300 -> 288 (steps of 32 in
        // [256, 512)); 500 -> 448 (saturated); -3.3 -> -3.25 (steps of 0.25 in [2, 4)); weight 0.5 exact.
        float[] xq = {16f, 288f, 448f, -3.25f};
        OrtCpu.Tensor y = run(g, new OrtCpu.Tensor(new long[] {1, 1, 2, 2}, in));
        for (int i = 0; i < in.length; i++) {
            assertEquals(-2f * Math.max(0, 0.5f * xq[i] + 0.25f), y.data()[i], 1e-6f, "element " + i);
        }
    }

    @Test
    void int8NeedsARangeForEveryConvolution() {
        assertThrows(IllegalArgumentException.class,
                () -> twoConvs(new OnnxGraphBuilder("t", Precision.FP32).quantizeConvs(Map.of("a", 1f))));
    }
}
