package org.videoforge.inference.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/** Build settings and backend options, as the system properties set them. */
class EngineSettingsTest {
    private static <T> T withProperty(String name, String value, Supplier<T> body) {
        String previous = System.getProperty(name);
        System.setProperty(name, value);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, previous);
            }
        }
    }

    @Test
    void defaultsAreTensorRtsOwn() {
        EngineSettings d = EngineSettings.DEFAULTS;
        assertEquals(3, d.optimizationLevel());
        assertEquals(1024L << 20, d.workspaceBytes());
        assertEquals(EngineSettings.IoFormat.LINEAR, d.ioFormat());
        assertEquals("typed=strong;opt=3;workspace=1024MiB;io=linear", d.canonical());
    }

    @Test
    void systemPropertiesSetTheDefaults() {
        EngineSettings s = withProperty(EngineSettings.OPTIMIZATION_LEVEL_PROPERTY, "5",
                () -> withProperty(EngineSettings.WORKSPACE_PROPERTY, "2048", EngineSettings::fromSystemProperties));
        assertEquals(5, s.optimizationLevel());
        assertEquals(2048L << 20, s.workspaceBytes());
        assertEquals(s, EngineSettings.DEFAULTS.withOptimizationLevel(5).withWorkspaceMib(2048).withShuffleInKernel(true));
        assertNotEquals(s, EngineSettings.DEFAULTS);
    }

    @Test
    void thePixelShuffleRunsInAKernelUnlessThePropertySaysNo() {
        assertTrue(EngineSettings.fromSystemProperties().shuffleInKernel());
        assertTrue(!EngineSettings.DEFAULTS.shuffleInKernel(), "TensorRT's defaults: the whole graph in the engine");
        EngineSettings whole = withProperty(EngineSettings.SHUFFLE_KERNEL_PROPERTY, "false",
                EngineSettings::fromSystemProperties);
        assertTrue(!whole.shuffleInKernel());
        assertEquals(EngineSettings.DEFAULTS.canonical() + ";shuffle=kernel",
                EngineSettings.DEFAULTS.withShuffleInKernel(true).canonical(), "a different engine, a different key");
        assertEquals(EngineSettings.DEFAULTS, whole);
    }

    @Test
    void badValuesAreInvalidArguments() {
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EngineError.class, () -> withProperty(
                EngineSettings.SHUFFLE_KERNEL_PROPERTY, "maybe", EngineSettings::fromSystemProperties)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EngineError.class, () -> withProperty(
                EngineSettings.OPTIMIZATION_LEVEL_PROPERTY, "6", EngineSettings::fromSystemProperties)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EngineError.class, () -> withProperty(
                EngineSettings.WORKSPACE_PROPERTY, "lots", EngineSettings::fromSystemProperties)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EngineError.class,
                () -> EngineSettings.DEFAULTS.withWorkspaceMib(8)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EngineError.class, () -> withProperty(
                TensorRtOptions.STREAMS_PROPERTY, "3", TensorRtOptions::defaults)).code());
    }

    @Test
    void optionsTakeTheStreamsPropertyAndClampBatchesForFixedBatchModels() {
        assertEquals(2, withProperty(TensorRtOptions.STREAMS_PROPERTY, "2", TensorRtOptions::defaults).streams());
        TensorRtOptions o = TensorRtOptions.defaults();
        assertEquals(1, o.streams());
        assertEquals(2, TensorRtOptions.forPipeline().streams(), "the pipeline keeps two contexts in flight");
        assertEquals(1, withProperty(TensorRtOptions.STREAMS_PROPERTY, "1", TensorRtOptions::forPipeline).streams());
        assertEquals(4, o.withBatchesUpTo(4).maxBatchFor(true));
        assertEquals(1, o.withBatchesUpTo(4).maxBatchFor(false), "the pipeline's --max-batch on a fixed-batch model");
        assertEquals(4, o.withMaxBatch(4).maxBatchFor(false), "strict: the open then fails with its code");
        assertEquals(EngineCache.defaultCache().directory(), o.cache().directory());
    }

    @Test
    void theLibrarySourceIsTheRedistributableWhereItsJarLayoutShows() {
        assertTrue(TensorRtRuntime.describeSource(Paths.get(
                "/tmp/videoforge/tensorrt/org/bytedeco/tensorrt/linux-x86_64/libnvinfer.so.10"))
                .startsWith("the Maven redistributable (/tmp/videoforge/tensorrt/org/bytedeco/tensorrt/linux-x86_64)"));
        assertEquals("a system TensorRT install (/usr/lib/x86_64-linux-gnu)",
                TensorRtRuntime.describeSource(Paths.get("/usr/lib/x86_64-linux-gnu/libnvinfer.so.10")));
    }
}
