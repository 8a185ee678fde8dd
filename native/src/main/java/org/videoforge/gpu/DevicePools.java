package org.videoforge.gpu;

import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.MemoryBudget;
import org.videoforge.memory.SharedPools;

/**
 * The process-wide pools of one CUDA device, shared through {@link SharedPools}: device memory
 * ("cuda:N", under the {@code --vram-limit} budget) and pinned host staging memory
 * ("cuda-pinned:N"). The first acquirer of a key creates the pool and fixes its budget; later
 * acquirers share it (check {@code pool().budget().limitBytes()} if it matters). Creating a pool
 * makes no CUDA call; the first miss allocates.
 */
public final class DevicePools {
    private DevicePools() {
    }

    /** The device pool of cuda:{@code index}; {@code limitBytes} 0 means unlimited. */
    public static SharedPools.Handle device(int index, long limitBytes) {
        String key = deviceKey(index);
        return SharedPools.acquire(key, () -> new BucketedBufferPool(key, new CudaAllocator(index),
                new MemoryBudget(key, limitBytes)));
    }

    /** Pinned host memory for staging copies to and from cuda:{@code index}; unlimited. */
    public static SharedPools.Handle pinned(int index) {
        String key = "cuda-pinned:" + index;
        return SharedPools.acquire(key, () -> new BucketedBufferPool(key, new PinnedHostAllocator(index),
                MemoryBudget.unlimited(key)));
    }

    public static String deviceKey(int index) {
        return "cuda:" + index;
    }
}
