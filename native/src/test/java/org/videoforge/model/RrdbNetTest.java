package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.videoforge.frame.Precision;

class RrdbNetTest {

    @Test
    void fullModelHasEsrganParameterCount() {
        OnnxGraphBuilder g = RrdbNet.graph(RrdbNet.NUM_BLOCKS, Precision.FP16, 1);
        // RealESRGAN_x4plus: 16,697,987 parameters
        long rdb = (64 * 32 * 9 + 32) + (96 * 32 * 9 + 32) + (128 * 32 * 9 + 32) + (160 * 32 * 9 + 32) + (192 * 64 * 9 + 64);
        long expected = (3 * 64 * 9 + 64) + 23 * 3 * rdb + 4 * (64 * 64 * 9 + 64) + (64 * 3 * 9 + 3);
        assertEquals(16_697_987, expected);
        assertEquals(expected, g.parameterCount());
        OnnxModelReader m = OnnxModelReader.read(g.build());
        // the stored initializers: the weights plus two Resize scales (4 values each) and the 0.2 factors
        long scales = m.initializers.stream().filter(i -> i.name().endsWith(".scales")).count();
        long factors = m.initializers.stream().filter(i -> i.name().endsWith(".factor")).count();
        assertEquals(2, scales);
        assertEquals(23 * 4, factors);
        assertEquals(expected + 2 * 4 + factors, m.initializerElements());
        assertEquals(23 * 3 * 5 + 6, m.nodes.stream().filter(n -> n.opType().equals("Conv")).count());
    }

    @Test
    void reducedModelRunsInFp32AndFp16() {
        byte[] fp32Model = RrdbNet.build(2, Precision.FP32, 7);
        assertArrayEquals(fp32Model, RrdbNet.build(2, Precision.FP32, 7));
        OrtCpu.Tensor input = TestImages.random(8, 6, 4);
        OrtCpu.Tensor fp32;
        OrtCpu.Tensor fp16;
        OrtCpu.Tensor other;
        try (OrtCpu ort = new OrtCpu(fp32Model)) {
            fp32 = ort.run(input, Precision.FP32);
            other = ort.run(TestImages.random(8, 6, 5), Precision.FP32);
        }
        try (OrtCpu ort = new OrtCpu(RrdbNet.build(2, Precision.FP16, 7))) {
            fp16 = ort.run(input, Precision.FP16);
        }
        assertArrayEquals(new long[] {1, 3, 32, 24}, fp32.shape());
        assertArrayEquals(fp32.shape(), fp16.shape());
        for (float v : fp32.data()) {
            assertTrue(v > 0 && v < 1, "output " + v + " left [0,1]");
        }
        assertTrue(TestImages.meanAbsDiff(fp32.data(), other.data()) > 1e-3, "output does not depend on the input");
        float max = TestImages.maxAbsDiff(fp32.data(), fp16.data());
        double mean = TestImages.meanAbsDiff(fp32.data(), fp16.data());
        assertTrue(max < 5e-3 && mean < 5e-4, "fp16 vs fp32: max " + max + ", mean " + mean);
    }
}
