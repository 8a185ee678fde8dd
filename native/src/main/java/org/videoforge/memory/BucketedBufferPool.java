package org.videoforge.memory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycles frame-sized blocks keyed by (rounded) size, so that a steady stream of same-sized frames
 * allocates only during warm-up. Every block it holds, idle or leased, is counted in its
 * {@link MemoryBudget}; a request over the budget fails with VRAM_EXHAUSTED before allocating.
 * Idle blocks of other sizes are freed first when the budget is tight. Thread-safe: decode,
 * inference and encode threads lease and return concurrently.
 */
public final class BucketedBufferPool implements AutoCloseable {
    /** Sizes round up to this granularity so that near-equal requests share a bucket. */
    static final long GRANULE = 4096;

    private final String name;
    private final RawAllocator allocator;
    private final MemoryBudget budget;
    private final Map<Long, ArrayDeque<Long>> idle = new HashMap<>();
    private long hits;
    private long misses;
    private long leasesOut;
    private long idleBytes;
    private boolean closed;

    public BucketedBufferPool(String name, RawAllocator allocator, MemoryBudget budget) {
        this.name = name;
        this.allocator = allocator;
        this.budget = budget;
    }

    /** An unlimited host pool (the CPU backends' frames and tensors). */
    public static BucketedBufferPool host(String name) {
        return new BucketedBufferPool(name, new HostAllocator(), MemoryBudget.unlimited(name));
    }

    public MemoryKind kind() {
        return allocator.kind();
    }

    public MemoryBudget budget() {
        return budget;
    }

    /** Leases a block of at least {@code bytes}; close the lease to give it back. */
    public FrameBuffer acquire(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("buffer size must be positive: " + bytes);
        }
        long size = roundUp(bytes);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("pool " + name + " is closed");
            }
            ArrayDeque<Long> bucket = idle.get(size);
            if (bucket != null && !bucket.isEmpty()) {
                hits++;
                leasesOut++;
                idleBytes -= size;
                return new FrameBuffer(this, bucket.pop(), size, true);
            }
            misses++;
            reserveEvictingIdle(size);
            leasesOut++;
        }
        long address;
        try {
            address = allocator.allocate(size);
        } catch (RuntimeException e) {
            synchronized (this) {
                leasesOut--;
            }
            budget.release(size);
            throw e;
        }
        return new FrameBuffer(this, address, size, false);
    }

    public synchronized PoolStats stats() {
        return new PoolStats(hits, misses, leasesOut, budget.heldBytes());
    }

    void giveBack(long address, long size) {
        synchronized (this) {
            leasesOut--;
            if (!closed) {
                idle.computeIfAbsent(size, k -> new ArrayDeque<>()).push(address);
                idleBytes += size;
                return;
            }
        }
        allocator.free(address);
        budget.release(size);
    }

    /** Frees idle blocks; leases still out are freed when they come back. */
    @Override
    public void close() {
        Map<Long, ArrayDeque<Long>> toFree;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toFree = new HashMap<>(idle);
            idle.clear();
            idleBytes = 0;
        }
        toFree.forEach((size, blocks) -> {
            for (long a : blocks) {
                allocator.free(a);
                budget.release(size);
            }
        });
    }

    private void reserveEvictingIdle(long size) {
        try {
            budget.reserve(size, name + " buffer");
            return;
        } catch (RuntimeException tight) {
            if (idleBytes == 0) {
                throw tight;
            }
        }
        // Idle blocks of other sizes are dead weight under a ceiling: free them and try once more.
        for (Map.Entry<Long, ArrayDeque<Long>> e : idle.entrySet()) {
            for (long a : e.getValue()) {
                allocator.free(a);
                budget.release(e.getKey());
            }
        }
        idle.clear();
        idleBytes = 0;
        budget.reserve(size, name + " buffer");
    }

    static long roundUp(long bytes) {
        return (bytes + GRANULE - 1) / GRANULE * GRANULE;
    }
}
