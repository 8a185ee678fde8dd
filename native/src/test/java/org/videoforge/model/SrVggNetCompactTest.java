package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoforge.frame.Precision;
import org.videoforge.inference.TestTensors;

class SrVggNetCompactTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void runsWithExpectedShapeCloseToNearestUpsampling(int scale) {
        OrtCpu.Tensor input = TestImages.random(9, 11, 5);
        OrtCpu.Tensor out;
        try (OrtCpu ort = new OrtCpu(SrVggNetCompact.build(scale, Precision.FP32, 1))) {
            out = ort.run(input, Precision.FP32);
            assertArrayEquals(new long[] {1, 3, 6 * scale, 7 * scale}, ort.run(TestImages.random(6, 7, 6), Precision.FP32).shape());
        }
        assertArrayEquals(new long[] {1, 3, 9 * scale, 11 * scale}, out.shape());
        double mean = TestImages.meanAbsDiff(out.data(), TestImages.nearest(input, scale));
        // the body contributes (the residual is not negligible) but stays small
        assertTrue(mean > 1e-3 && mean < 0.15, "mean |out - nearest| = " + mean);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void sameSeedSameBytes(int scale) {
        byte[] a = SrVggNetCompact.build(scale, Precision.FP32, 11);
        assertArrayEquals(a, SrVggNetCompact.build(scale, Precision.FP32, 11));
        assertFalse(Arrays.equals(a, SrVggNetCompact.build(scale, Precision.FP32, 12)));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void hasTheArchitecturesParameterCount(int scale) {
        // conv 3->64 + PReLU, 16 x (conv 64->64 + PReLU), conv 64->3*s*s
        long expected = (3 * 64 * 9 + 64) + 64 + 16L * (64 * 64 * 9 + 64 + 64) + (64 * 3 * scale * scale * 9 + 3 * scale * scale);
        assertEquals(expected, SrVggNetCompact.graph(scale, Precision.FP32, 1).parameterCount());
        assertEquals(scale == 4 ? 621_424 : 600_652, expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void fp16RunsOnCpuAndAgreesWithFp32(int scale) {
        OrtCpu.Tensor input = TestImages.random(10, 8, 9);
        OrtCpu.Tensor fp32;
        OrtCpu.Tensor fp16;
        try (OrtCpu ort = new OrtCpu(SrVggNetCompact.build(scale, Precision.FP32, 3))) {
            fp32 = ort.run(input, Precision.FP32);
        }
        try (OrtCpu ort = new OrtCpu(SrVggNetCompact.build(scale, Precision.FP16, 3))) {
            fp16 = ort.run(input, Precision.FP16);
        }
        assertArrayEquals(fp32.shape(), fp16.shape());
        float max = TestImages.maxAbsDiff(fp32.data(), fp16.data());
        double mean = TestImages.meanAbsDiff(fp32.data(), fp16.data());
        assertTrue(max < 5e-3 && mean < 5e-4, "fp16 vs fp32: max " + max + ", mean " + mean);
    }

    @ParameterizedTest
    @CsvSource({"2, TILE", "4, TILE", "2, DECONV_UP", "4, DECONV_UP", "2, DECONV_BOTH", "4, DECONV_BOTH", "3, TILE"})
    void everyTailComputesWhatTheExportedOneDoes(int scale, SrVggNetCompact.Tail tail) {
        OrtCpu.Tensor input = TestImages.random(8, 6, 11);
        float[] reference;
        OrtCpu.Tensor other;
        try (OrtCpu ort = new OrtCpu(SrVggNetCompact.build(scale, Precision.FP32, 5, SrVggNetCompact.Tail.RESIZE))) {
            reference = ort.run(input, Precision.FP32).data();
        }
        try (OrtCpu ort = new OrtCpu(SrVggNetCompact.build(scale, Precision.FP32, 5, tail))) {
            other = ort.run(input, Precision.FP32);
        }
        assertArrayEquals(new long[] {1, 3, 8 * scale, 6 * scale}, other.shape());
        assertArrayEquals(reference, other.data(), 1e-5f, tail + " x" + scale);
    }

    @ParameterizedTest
    @CsvSource({"2, INT8", "4, INT8", "4, FP8_E4M3"})
    void theQuantizedModelRunsCloseToTheFloatOneButNotOnIt(int scale, OnnxGraphBuilder.Quantized type) {
        OrtCpu.Tensor input = TestImages.random(16, 12, 10);
        float[] fp32;
        OrtCpu.Tensor quantized;
        try (OrtCpu ort = new OrtCpu(SrVggNetCompact.build(scale, Precision.FP32, 3))) {
            fp32 = ort.run(input, Precision.FP32).data();
        }
        try (OrtCpu ort = new OrtCpu(SrVggNetCompact.buildQuantized(scale, Precision.FP16, 3, 4f, type))) {
            quantized = ort.run(input, Precision.FP16);
        }
        assertArrayEquals(new long[] {1, 3, 16 * scale, 12 * scale}, quantized.shape());
        double db = TestTensors.psnr(fp32, quantized.data());
        assertTrue(db > 25 && db < 60, type + " steps on every convolution input (range 4): " + db + " dB from FP32");
    }
}
