package org.videoforge.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.BytePointer;

/**
 * A lease on one pooled block of host or device memory. Exactly one owner at a time; closing
 * the lease returns the block to its pool (RAII, as with a JavaCPP {@code PointerScope}).
 * Closing twice is harmless; using a closed lease throws.
 */
public final class FrameBuffer implements AutoCloseable {
    private final BucketedBufferPool pool;
    private final long address;
    private final long capacity;
    private final boolean recycled;
    private final AtomicBoolean released = new AtomicBoolean();

    FrameBuffer(BucketedBufferPool pool, long address, long capacity, boolean recycled) {
        this.pool = pool;
        this.address = address;
        this.capacity = capacity;
        this.recycled = recycled;
    }

    /** True if the pool served this lease from an idle block (a hit), false if it allocated. */
    public boolean recycled() {
        return recycled;
    }

    public MemoryKind kind() {
        return pool.kind();
    }

    /** Raw address (device pointer for DEVICE buffers). */
    public long address() {
        checkLive();
        return address;
    }

    /** Usable bytes; at least what was asked for. */
    public long capacity() {
        return capacity;
    }

    /** A JavaCPP view of the block, for native calls; not an owner. */
    public BytePointer pointer() {
        checkLive();
        return new AddressPointer(address, capacity);
    }

    /** A little-endian direct view of a HOST block; not an owner, valid until close. */
    public ByteBuffer hostBytes() {
        if (kind() != MemoryKind.HOST) {
            throw new IllegalStateException("device buffer has no host view; download it first");
        }
        return pointer().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public boolean isReleased() {
        return released.get();
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            pool.giveBack(address, capacity);
        }
    }

    private void checkLive() {
        if (released.get()) {
            throw new IllegalStateException("frame buffer used after it was returned to the pool");
        }
    }
}
