package org.videoforge.gpu;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Process-wide count of cudaMalloc/cudaFree calls made by {@link CudaAllocator}. In steady state
 * every device buffer comes from a pool, so {@link #allocations()} stops growing after warm-up;
 * tests and telemetry read it to prove that.
 */
public final class DeviceAllocations {
    private static final AtomicLong ALLOCATIONS = new AtomicLong();
    private static final AtomicLong FREES = new AtomicLong();
    private static final AtomicLong BYTES_ALLOCATED = new AtomicLong();

    private DeviceAllocations() {
    }

    /** cudaMalloc calls that succeeded, ever. */
    public static long allocations() {
        return ALLOCATIONS.get();
    }

    /** cudaFree calls, ever. */
    public static long frees() {
        return FREES.get();
    }

    /** Blocks allocated and not yet freed. */
    public static long live() {
        return ALLOCATIONS.get() - FREES.get();
    }

    /** Total bytes ever obtained from cudaMalloc. */
    public static long bytesAllocated() {
        return BYTES_ALLOCATED.get();
    }

    static void allocated(long bytes) {
        ALLOCATIONS.incrementAndGet();
        BYTES_ALLOCATED.addAndGet(bytes);
    }

    static void freed() {
        FREES.incrementAndGet();
    }
}
