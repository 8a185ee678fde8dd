package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.videoforge.frame.Precision;
import org.videoforge.inference.TestTensors;

class BundledModelsTest {

    @Test
    void namesAndScales() {
        // the default build
        assertEquals(List.of("esrgan-slim-x2", "esrgan-slim-x3", "esrgan-slim-x4", "esrgan-slim-x8",
                "esrgan-medium-x2", "esrgan-medium-x3", "esrgan-medium-x4", "esrgan-medium-x8", "esrgan-thick-x4",
                "isr-psnr-small-x2", "isr-psnr-small-x2-int8"), BundledModels.names());
        assertEquals(List.of("esrgan-thick-x2", "esrgan-legacy-psnr-small-x2", "esrgan-legacy-div2k-x2",
                "esrgan-legacy-div2k-x3", "esrgan-legacy-div2k-x4", "esrgan-legacy-gans-x4"),
                BundledModels.UNBUNDLED.stream().map(BundledModel::name).toList());
        assertTrue(BundledModels.CATALOGUE.containsAll(BundledModels.all()));
        assertEquals(Optional.of(8), BundledModels.scale("esrgan-slim-x8"));
        assertEquals(Optional.of(2), BundledModels.scale("isr-psnr-small-x2"));
        assertEquals(Optional.empty(), BundledModels.scale("esrgan-legacy-psnr-small-x2"));
        assertEquals(Optional.empty(), BundledModels.scale("esrgan-slim-x5"));
        assertTrue(BundledModels.load("no-such-model", Precision.FP32).isEmpty());
    }

    @Test
    void theInt8GpuDefaultIsTheFloatOneOnInt8Steps() {
        // A smooth, natural-looking frame (the calibration came from footage, not noise).
        int h = 24;
        int w = 32;
        float[] rgb = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    rgb[(c * h + y) * w + x] =
                            (float) (0.5 + 0.35 * Math.sin(0.3 * x + 0.2 * y + c) * Math.cos(0.15 * y));
                }
            }
        }
        OrtCpu.Tensor input = new OrtCpu.Tensor(new long[] {1, 3, h, w}, rgb);
        float[] fp32;
        float[] int8;
        try (OrtCpu ort = new OrtCpu(BundledModels.load("isr-psnr-small-x2", Precision.FP32).orElseThrow())) {
            fp32 = ort.run(input, Precision.FP32).data();
        }
        try (OrtCpu ort = new OrtCpu(BundledModels.load("isr-psnr-small-x2-int8", Precision.FP32).orElseThrow())) {
            int8 = ort.run(input, Precision.FP32).data();
        }
        double db = TestTensors.psnr(fp32, int8);
        assertTrue(db > 35 && db < 70, "int8 convolutions: " + db + " dB from the float model");
    }

    @Test
    void sizesAreTheResourcesLengths() {
        for (Precision p : Precision.values()) {
            assertEquals(BundledModels.load("esrgan-medium-x2", p).orElseThrow().length,
                    BundledModels.size("esrgan-medium-x2", p).orElseThrow());
        }
        assertTrue(BundledModels.size("no-such-model", Precision.FP32).isEmpty());
    }

    /** The build step ran, with the current converter: resources equal a fresh conversion. */
    @Test
    void resourcesAreTheCurrentConversion() {
        for (Precision p : Precision.values()) {
            assertArrayEquals(NpmFixture.slim().toOnnx(NpmFixture.slim(3), p),
                    BundledModels.load("esrgan-slim-x3", p).orElseThrow());
        }
    }

    @Test
    void everyBundledModelRunsAtItsScale() {
        OrtCpu.Tensor input = TestImages.random(5, 4, 8);
        for (String name : BundledModels.names()) {
            int s = BundledModels.scale(name).orElseThrow();
            for (Precision p : Precision.values()) {
                byte[] model = BundledModels.load(name, p).orElseThrow(() -> new AssertionError(name + " not bundled"));
                try (OrtCpu ort = new OrtCpu(model)) {
                    OrtCpu.Tensor out = ort.run(input, p);
                    assertArrayEquals(new long[] {1, 3, 5 * s, 4 * s}, out.shape(), name + " " + p);
                    for (float v : out.data()) {
                        assertTrue(v >= 0 && v <= 1, name + " " + p + " output " + v + " outside [0,1]");
                    }
                }
            }
        }
    }
}
