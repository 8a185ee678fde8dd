package org.videoforge.memory;

/**
 * The native allocate/free pair a {@link BucketedBufferPool} draws from (host malloc, cudaMalloc).
 * Only the pool calls it; everything else takes leases from the pool.
 */
public interface RawAllocator {
    MemoryKind kind();

    /** Returns the address of a new block of {@code bytes}, or throws an EngineError. */
    long allocate(long bytes);

    void free(long address);
}
