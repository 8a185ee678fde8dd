package org.videoforge.inference.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.backends.InferenceBackends;
import org.videoforge.inference.ModelRef;
import org.videoforge.model.SrVggNetCompact;

/**
 * Runs where TensorRT is not installed (this build's usual case: the jar carries only the JNI
 * wrappers): asking for it is a coded BACKEND_UNAVAILABLE naming the missing library, never a crash.
 */
class TensorRtUnavailableTest {
    private static final Pattern NAMES_A_LIBRARY = Pattern.compile("lib[\\w.+-]+\\.so");

    @TempDir
    Path dir;

    private ModelRef model() throws IOException {
        Path p = dir.resolve("compact-x2.onnx");
        Files.write(p, SrVggNetCompact.build(2, Precision.FP32, 3));
        return ModelRef.of(p.toString());
    }

    @Test
    void theProbeAnswersWithoutCrashing() {
        boolean first = TensorRtRuntime.available();
        assertEquals(first, TensorRtRuntime.available(), "probed once, cached");
        if (first) {
            assertEquals("", TensorRtRuntime.unavailableReason());
            assertTrue(TensorRtRuntime.version().matches("10\\.\\d+\\.\\d+"), TensorRtRuntime.version());
        } else {
            assertFalse(TensorRtRuntime.unavailableReason().isBlank());
        }
        System.out.println("TensorRT here: " + (first ? TensorRtRuntime.version() : TensorRtRuntime.unavailableReason()));
    }

    @Test
    void inferenceBackendsOpenIsBackendUnavailableNamingTheLibrary() throws IOException {
        assumeFalse(TensorRtRuntime.available(), "TensorRT is installed here");
        ModelRef m = model();
        EngineError e = assertThrows(EngineError.class,
                () -> InferenceBackends.open(BackendKind.TENSORRT, m, Precision.FP32, 0, 1));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code(), e.oneLine());
        assertTrue(e.getMessage().startsWith("TensorRT libraries not found: "), e.getMessage());
        assertTrue(NAMES_A_LIBRARY.matcher(e.getMessage()).find(), "no library named: " + e.getMessage());
        assertTrue(e.getMessage().contains("--backend cuda"), e.getMessage());
        System.out.println(e.oneLine());
    }

    @Test
    void everyEntryPointIsBackendUnavailable() throws IOException {
        assumeFalse(TensorRtRuntime.available(), "TensorRT is installed here");
        ModelRef m = model();
        EngineCache cache = EngineCache.at(dir.resolve("cache"));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, assertThrows(EngineError.class,
                () -> TensorRtBackend.open(m, Precision.FP32, 0, 48, 64, 1, cache)).code());
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, assertThrows(EngineError.class,
                () -> TensorRtBackend.openDeferred(m, Precision.FP32, 0, 1, cache)).code());
        // availability is checked before anything else: even a missing model or bad size is this error
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, assertThrows(EngineError.class,
                () -> TensorRtBackend.open(ModelRef.of("/nonexistent.onnx"), Precision.FP32, 0, 0, 0, 1, cache))
                .code());
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, assertThrows(EngineError.class, TensorRtRuntime::version).code());
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, assertThrows(EngineError.class,
                () -> EngineBuilder.parseNetwork(new byte[1], "x", 0)).code());
        assertFalse(Files.exists(dir.resolve("cache")), "nothing written");
    }

    @Test
    void loadFailuresAreDescribedByTheMissingLibrary() {
        UnsatisfiedLinkError inner = new UnsatisfiedLinkError(
                "/root/.javacpp/cache/tensorrt.jar/libjninvinfer.so: libnvinfer.so.10: cannot open shared object file:"
                        + " No such file or directory");
        UnsatisfiedLinkError outer = new UnsatisfiedLinkError("no jninvinfer in java.library.path: /usr/lib");
        outer.initCause(inner);
        String d = TensorRtRuntime.describeLoadFailure(new ExceptionInInitializerError(outer));
        assertTrue(d.startsWith("libnvinfer.so.10: cannot open shared object file"), d);
        assertEquals("something else", TensorRtRuntime.describeLoadFailure(new RuntimeException("something else")));
        assertTrue(TensorRtRuntime.describeLoadFailure(new NoClassDefFoundError()).contains("NoClassDefFoundError"));
    }

    @Test
    void versionsAreFormatted() {
        assertEquals("10.15.1", TensorRtRuntime.formatVersion(101501));
        assertEquals("10.0.0", TensorRtRuntime.formatVersion(100000));
        assertEquals("8.6.1", TensorRtRuntime.formatVersion(8601));
    }

    @Test
    void olderOrOtherMajorLibrariesAreRefused() {
        assertEquals(null, TensorRtRuntime.versionProblem(101501, 10, 15));
        assertEquals(null, TensorRtRuntime.versionProblem(101600, 10, 15));
        assertEquals(null, TensorRtRuntime.versionProblem(101500, 10, 15));
        String older = TensorRtRuntime.versionProblem(100800, 10, 15);
        assertTrue(older.contains("found TensorRT 10.8.0") && older.contains("need TensorRT 10.15"), older);
        assertTrue(TensorRtRuntime.versionProblem(8601, 10, 15).contains("8.6.1"));
        assertTrue(TensorRtRuntime.versionProblem(110000, 10, 15).contains("11.0.0"));
    }

    @Test
    void builderResourceNotesSayWhichArchitectureIsMissing() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        assertTrue(TensorRtRuntime.builderResourceNote(lib, 90).startsWith("no libnvinfer_builder_resource"));
        Files.createFile(lib.resolve("libnvinfer_builder_resource_ptx.so.10.15.1"));
        String missing = TensorRtRuntime.builderResourceNote(lib, 90);
        assertTrue(missing.startsWith("libnvinfer_builder_resource_sm90.so* is missing"), missing);
        assertTrue(missing.contains("libnvinfer_builder_resource_ptx.so.10.15.1"), missing);
        Files.createFile(lib.resolve("libnvinfer_builder_resource_sm90.so.10.15.1"));
        assertTrue(TensorRtRuntime.builderResourceNote(lib, 90).startsWith("builder resources in"));
        assertTrue(TensorRtRuntime.builderResourceNote(lib, 89).contains("sm89.so* is missing"));

        Path single = Files.createDirectories(dir.resolve("single"));
        Files.createFile(single.resolve("libnvinfer_builder_resource.so.10.3.0"));
        assertTrue(TensorRtRuntime.builderResourceNote(single, 90).startsWith("builder resources in"));
    }

    @Test
    void recentMessagesAreCapturedAfterAMark() {
        TrtMessages m = new TrtMessages();
        m.add("error", "before");
        long mark = m.mark();
        assertEquals("", m.summarySince(mark, 100));
        m.add("error", "  first\n");
        m.add("warning", "second");
        assertEquals(java.util.List.of("error: first", "warning: second"), m.since(mark));
        assertEquals(" TensorRT said: error: first | warning: second", m.summarySince(mark, 1000));
        assertTrue(m.summarySince(mark, 10).startsWith(" TensorRT said: ..."));
        for (int i = 0; i < 3 * TrtMessages.CAPACITY; i++) {
            m.add("error", "n" + i);
        }
        assertEquals(TrtMessages.CAPACITY, m.since(0).size(), "bounded");
        assertEquals("error: n" + (3 * TrtMessages.CAPACITY - 1), m.since(0).get(TrtMessages.CAPACITY - 1));
    }
}
