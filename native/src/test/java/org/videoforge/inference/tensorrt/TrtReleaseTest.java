package org.videoforge.inference.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The parts of {@link TrtRelease} that need no TensorRT: the /proc/self/maps guard and the native
 * call trampoline (exercised with libc's free on a malloc'd block, the same shape of call as a
 * deleting destructor on an object).
 */
class TrtReleaseTest {
    @Test
    void mapsLinesAreParsed() {
        String line = "7f00aa000000-7f00aa100000 r-xp 00010000 103:02 1234   /opt/tensorrt/lib/libnvinfer.so.10.15.1";
        assertTrue(TrtRelease.isExecutableMappingOf(line, 0x7f00aa000000L, "libnvinfer"));
        assertTrue(TrtRelease.isExecutableMappingOf(line, 0x7f00aa0fffffL, "libnvinfer"));
        assertFalse(TrtRelease.isExecutableMappingOf(line, 0x7f00aa100000L, "libnvinfer"), "end is exclusive");
        assertFalse(TrtRelease.isExecutableMappingOf(line, 0x7f00a9ffffffL, "libnvinfer"));
        assertFalse(TrtRelease.isExecutableMappingOf(line, 0x7f00aa000010L, "libnvonnxparser"));
        String data = "7f00aa000000-7f00aa100000 rw-p 00010000 103:02 1234   /opt/tensorrt/lib/libnvinfer.so.10.15.1";
        assertFalse(TrtRelease.isExecutableMappingOf(data, 0x7f00aa000010L, "libnvinfer"), "not executable");
        assertFalse(TrtRelease.isExecutableMappingOf("7f00aa000000-7f00aa100000 r-xp 0 0:0 0", 0x7f00aa000010L,
                "libnvinfer"), "anonymous mapping");
        assertFalse(TrtRelease.isExecutableMappingOf("garbage", 1, "libnvinfer"));
    }

    @Test
    void theTrampolineCallsANativeFunctionWithItsArgument() {
        assumeTrue(Files.isReadable(Paths.get("/proc/self/maps")), "Linux only");
        Pointer free = Loader.addressof("free");
        assumeTrue(free != null && !free.isNull(), "free() not found");
        assertTrue(TrtRelease.inExecutableMappingOf(free.address(), "libc"), "free lies in libc's code");
        assertFalse(TrtRelease.inExecutableMappingOf(free.address(), "libnvinfer"),
                "the guard refuses code outside TensorRT");
        for (int i = 0; i < 1000; i++) {
            Pointer block = Pointer.malloc(64);
            try (LongPointer view = new LongPointer(block)) {
                view.put(0, 0x1122334455667788L);
            }
            assertEquals(0x1122334455667788L, TrtRelease.readLong(block.address()));
            assertDoesNotThrow(() -> TrtRelease.call(free.address(), block.address())); // free(block)
        }
        assertThrows(IllegalArgumentException.class, () -> TrtRelease.call(0, 1));
        assertThrows(IllegalArgumentException.class, () -> TrtRelease.call(free.address(), 0));
    }

    @Test
    void nullAndReleasedHandlesAreIgnored() {
        TrtRelease.delete(null, "nothing");
        TrtRelease.closeQuietly(null);
        Pointer p = new Pointer();
        TrtRelease.closeQuietly(p);
        assertTrue(p.isNull());
    }

    private static void assertDoesNotThrow(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
