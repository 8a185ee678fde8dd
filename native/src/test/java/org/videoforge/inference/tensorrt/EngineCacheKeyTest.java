package org.videoforge.inference.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.videoforge.frame.Precision;
import org.videoforge.inference.ModelSpec;

class EngineCacheKeyTest {
    private static final byte[] MODEL = "pretend onnx bytes".getBytes(StandardCharsets.UTF_8);
    private static final ModelSpec SPEC = new ModelSpec("input", "output", Precision.FP16, 2, -1, -1, true);
    private static final ShapeProfile PROFILE = ShapeProfile.forVideo(SPEC, 360, 640, 1, 4);
    private static final String GPU = "NVIDIA H100 80GB HBM3";

    private static EngineCacheKey base() {
        return EngineCacheKey.of(MODEL, GPU, 90, "10.15.1", Precision.FP16, PROFILE);
    }

    @Test
    void theFileNameNamesEveryComponent() {
        String sha = EngineCacheKey.sha256Hex(MODEL);
        String name = base().fileName();
        assertTrue(name.matches(sha.substring(0, 12) + "-nvidia-h100-80gb-hbm3-sm90-trt10\\.15\\.1-fp16-[0-9a-f]{12}\\.engine"),
                name);
        assertEquals(sha, base().modelSha256());
    }

    @Test
    void theKeyIsStable() {
        assertEquals(base(), base());
        assertEquals(base().hashCode(), base().hashCode());
        assertEquals(base().fileName(), base().fileName());
        assertEquals(base().fileName(), EngineCacheKey.ofModelDigest(EngineCacheKey.sha256Hex(MODEL), GPU, 90,
                "10.15.1", Precision.FP16, ShapeProfile.forVideo(SPEC, 360, 640, 1, 4)).fileName());
        // Pinned: the digest must not depend on anything outside the key (JVM, locale, time).
        assertEquals(base().fileName(), EngineCacheKey.of("pretend onnx bytes".getBytes(StandardCharsets.UTF_8), GPU,
                90, "10.15.1", Precision.FP16, PROFILE).fileName());
    }

    @Test
    void everyComponentChangesTheName() {
        byte[] otherModel = MODEL.clone();
        otherModel[0] ^= 1;
        List<EngineCacheKey> variants = List.of(
                base(),
                EngineCacheKey.of(otherModel, GPU, 90, "10.15.1", Precision.FP16, PROFILE),
                EngineCacheKey.of(MODEL, "NVIDIA H200", 90, "10.15.1", Precision.FP16, PROFILE),
                EngineCacheKey.of(MODEL, GPU, 89, "10.15.1", Precision.FP16, PROFILE),
                EngineCacheKey.of(MODEL, GPU, 90, "10.15.2", Precision.FP16, PROFILE),
                EngineCacheKey.of(MODEL, GPU, 90, "10.15.1", Precision.FP32, PROFILE),
                EngineCacheKey.of(MODEL, GPU, 90, "10.15.1", Precision.FP16, ShapeProfile.forVideo(SPEC, 360, 640, 2, 4)),
                EngineCacheKey.of(MODEL, GPU, 90, "10.15.1", Precision.FP16, ShapeProfile.forVideo(SPEC, 360, 640, 1, 8)),
                EngineCacheKey.of(MODEL, GPU, 90, "10.15.1", Precision.FP16, ShapeProfile.forVideo(SPEC, 720, 1280, 1, 4)),
                EngineCacheKey.of(MODEL, GPU, 90, "10.15.1", Precision.FP16, PROFILE,
                        EngineSettings.DEFAULTS.withOptimizationLevel(5)),
                EngineCacheKey.of(MODEL, GPU, 90, "10.15.1", Precision.FP16, PROFILE,
                        EngineSettings.DEFAULTS.withIoFormat(EngineSettings.IoFormat.CHANNELS_LAST)),
                EngineCacheKey.of(MODEL, GPU, 90, "10.15.1", Precision.FP16, PROFILE,
                        EngineSettings.DEFAULTS.withWorkspaceMib(2048)),
                // GPU names that slug alike must still differ (the digest covers the full name)
                EngineCacheKey.of(MODEL, "nvidia h100 80gb hbm3", 90, "10.15.1", Precision.FP16, PROFILE));
        Set<String> names = new HashSet<>();
        for (EngineCacheKey k : variants) {
            assertTrue(names.add(k.fileName()), "duplicate name " + k.fileName());
        }
        for (int i = 1; i < variants.size(); i++) {
            assertNotEquals(variants.get(0), variants.get(i));
        }
    }

    @Test
    void theDefaultSettingsAreTheKeyWithoutSettings() {
        assertEquals(base(), EngineCacheKey.of(MODEL, GPU, 90, "10.15.1", Precision.FP16, PROFILE, EngineSettings.DEFAULTS));
        assertEquals(EngineSettings.DEFAULTS, base().settings());
        assertTrue(base().canonical().endsWith(";build=typed=strong;opt=3;workspace=1024MiB;io=linear"),
                base().canonical());
    }

    @Test
    void namesAreFileSystemSafe() {
        EngineCacheKey odd = EngineCacheKey.of(MODEL, "  Tesla/V100 (SXM2) 32GB: \"x\"\\..  ", 70, "10.15.1",
                Precision.FP32, PROFILE);
        String name = odd.fileName();
        assertTrue(name.matches("[a-z0-9.-]+"), name);
        assertTrue(name.contains("-tesla-v100-sxm2-32gb-x"), name);
        assertTrue(!name.contains("/") && !name.contains("\\"), name);
        String longName = EngineCacheKey.of(MODEL, "X".repeat(500), 90, "10.15.1", Precision.FP16, PROFILE).fileName();
        assertTrue(longName.length() < 120, longName);
        assertEquals("unknown", EngineCacheKey.slug("///", 40));
    }

    @Test
    void badComponentsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> EngineCacheKey.ofModelDigest("abc", GPU, 90, "10.15.1", Precision.FP16, PROFILE));
        assertThrows(IllegalArgumentException.class, () -> EngineCacheKey.of(MODEL, GPU, 0, "10.15.1", Precision.FP16,
                PROFILE));
        assertThrows(IllegalArgumentException.class, () -> EngineCacheKey.of(MODEL, GPU, 90, " ", Precision.FP16,
                PROFILE));
        assertThrows(NullPointerException.class, () -> EngineCacheKey.of(null, GPU, 90, "10.15.1", Precision.FP16,
                PROFILE));
        assertThrows(NullPointerException.class, () -> EngineCacheKey.of(MODEL, GPU, 90, "10.15.1", Precision.FP16,
                null));
    }
}
