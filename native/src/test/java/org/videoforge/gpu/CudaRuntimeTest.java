package org.videoforge.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

class CudaRuntimeTest {

    /** Runs on CPU-only machines: the probe says no, cleanly, and devices are refused with a code. */
    @Test
    void withoutNvidiaHardwareCudaIsUnavailableAndNothingCrashes() {
        assumeTrue(Gpu.noNvidiaHardware(), "this machine has NVIDIA hardware");
        assertFalse(CudaRuntime.available());
        assertFalse(CudaRuntime.available(), "cached answer, still no crash");
        assertEquals(0, CudaRuntime.deviceCount());
        assertFalse(CudaRuntime.unavailableReason().isEmpty());
        EngineError e = assertThrows(EngineError.class, () -> CudaDevice.acquire(0));
        assertEquals(ErrorCode.DEVICE_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("no CUDA device is usable"), e.getMessage());
    }

    @Test
    void outOfRangeDeviceIndexNamesTheDeviceCount() {
        Gpu.assume();
        int n = CudaRuntime.deviceCount();
        for (int bad : new int[] {n, -1}) {
            EngineError e = assertThrows(EngineError.class, () -> CudaDevice.acquire(bad));
            assertEquals(ErrorCode.DEVICE_UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("has " + n + " CUDA device"), e.getMessage());
        }
    }

    @Test
    void handlesShareOneRetainedPrimaryContextAndDescribeTheDevice() {
        Gpu.assume();
        try (CudaDevice a = CudaDevice.acquire(0); CudaDevice b = CudaDevice.acquire(0)) {
            assertFalse(a.primaryContext().isNull());
            assertEquals(a.primaryContext().address(), b.primaryContext().address());
            assertFalse(a.name().isBlank());
            assertTrue(a.computeCapability() >= 50, "compute capability " + a.computeCapability());
            long free = a.freeMemory();
            assertTrue(free > 0 && free <= a.totalMemory(), free + " of " + a.totalMemory());
            b.close();
            b.close(); // harmless
            a.bindToCurrentThread(); // a still holds the context
            System.out.println("device: " + a);
        }
        try (CudaDevice again = CudaDevice.acquire(0)) {
            assertFalse(again.primaryContext().isNull(), "re-acquired after the last handle closed");
        }
    }

    @Test
    void bindingWorksFromAnotherThread() throws Exception {
        Gpu.assume();
        try (CudaDevice d = CudaDevice.acquire(0)) {
            Throwable[] failure = new Throwable[1];
            Thread t = new Thread(() -> {
                try (CudaStream s = CudaStream.create(d)) {
                    s.synchronize();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            t.start();
            t.join();
            if (failure[0] != null) {
                throw new AssertionError("stream on another thread failed", failure[0]);
            }
        }
    }

    @Test
    void eventsTimeWorkOnAStream() {
        Gpu.assume();
        try (CudaDevice d = CudaDevice.acquire(0);
             CudaStream s = CudaStream.create(d);
             CudaEvent start = CudaEvent.create(d);
             CudaEvent end = CudaEvent.create(d)) {
            assertNotEquals(0L, s.address());
            start.record(s);
            end.record(s);
            end.synchronize();
            float ms = end.millisSince(start);
            assertTrue(ms >= 0 && ms < 1000, ms + " ms");
        }
    }
}
