package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.videoforge.frame.Precision;

class BundledModelsTest {

    @Test
    void namesAndScales() {
        // the default build
        assertEquals(List.of("esrgan-slim-x2", "esrgan-slim-x3", "esrgan-slim-x4", "esrgan-slim-x8",
                "esrgan-medium-x2", "esrgan-medium-x3", "esrgan-medium-x4", "esrgan-medium-x8", "esrgan-thick-x4",
                "isr-psnr-small-x2"), BundledModels.names());
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
