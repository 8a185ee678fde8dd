package org.videoforge.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.PoolStats;
import org.videoforge.memory.SharedPools;

class DevicePoolTest {
    private static final long MIB = 1 << 20;

    /**
     * Runs anywhere: the budget refuses before the allocator is called. On a machine without CUDA
     * a cudaMalloc attempt would fail with a linkage error, so passing there proves none was made.
     */
    @Test
    void overBudgetIsVramExhaustedWithoutACudaMalloc() {
        long before = DeviceAllocations.allocations();
        try (SharedPools.Handle h = DevicePools.device(0, 4 * MIB)) {
            assertEquals(4 * MIB, h.pool().budget().limitBytes(), "another holder of cuda:0 fixed another limit");
            assertEquals(MemoryKind.DEVICE, h.pool().kind());
            EngineError e = assertThrows(EngineError.class, () -> h.pool().acquire(8 * MIB));
            assertEquals(ErrorCode.VRAM_EXHAUSTED, e.code());
            assertTrue(e.getMessage().contains("cuda:0"), e.getMessage());
        }
        assertEquals(before, DeviceAllocations.allocations());
    }

    @Test
    void steadyStateLeasesAreAllHitsAndNeverCallCudaMalloc() {
        Gpu.assume();
        long[] sizes = {
            PixelFormat.NV12.frameBytes(1920, 1080),
            Precision.FP16.tensorBytes(1, 1080, 1920),
            Precision.FP16.tensorBytes(1, 2160, 3840),
            PixelFormat.NV12.frameBytes(3840, 2160),
        };
        long liveBefore = DeviceAllocations.live();
        try (SharedPools.Handle h = DevicePools.device(0, 0)) {
            frame(h, sizes); // warm-up: allocates each size once
            long allocations = DeviceAllocations.allocations();
            PoolStats warm = h.pool().stats();
            for (int i = 0; i < 100; i++) {
                for (FrameBuffer b : acquireAll(h, sizes)) {
                    assertTrue(b.recycled(), "lease " + b.capacity() + " in frame " + i + " was not recycled");
                    assertEquals(MemoryKind.DEVICE, b.kind());
                    b.close();
                }
            }
            assertEquals(allocations, DeviceAllocations.allocations(), "cudaMalloc after warm-up");
            PoolStats steady = h.pool().stats();
            assertEquals(warm.misses(), steady.misses());
            assertEquals(warm.hits() + 100L * sizes.length, steady.hits());
            System.out.println("device pool steady state: " + steady);
        }
        assertEquals(liveBefore, DeviceAllocations.live(), "closing the last handle frees every block");
    }

    @Test
    void aRefusedCudaMallocIsVramExhaustedWithTheFreeMemory() {
        Gpu.assume();
        long before = DeviceAllocations.allocations();
        EngineError e = assertThrows(EngineError.class, () -> new CudaAllocator(0).allocate(1L << 50));
        assertEquals(ErrorCode.VRAM_EXHAUSTED, e.code());
        assertTrue(e.getMessage().contains("MiB free"), e.getMessage());
        assertEquals(before, DeviceAllocations.allocations());
        // the failure left no sticky error behind
        try (SharedPools.Handle h = DevicePools.device(0, 0); FrameBuffer b = h.pool().acquire(MIB)) {
            assertTrue(b.address() != 0);
        }
    }

    private static void frame(SharedPools.Handle h, long[] sizes) {
        for (FrameBuffer b : acquireAll(h, sizes)) {
            b.close();
        }
    }

    private static List<FrameBuffer> acquireAll(SharedPools.Handle h, long[] sizes) {
        List<FrameBuffer> leases = new ArrayList<>();
        for (long s : sizes) {
            leases.add(h.pool().acquire(s));
        }
        return leases;
    }
}
