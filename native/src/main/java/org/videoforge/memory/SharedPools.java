package org.videoforge.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Process-wide, reference-counted pools, one per memory domain ("host", "cuda:0", ...). The
 * stages of one chained task -- and the tasks of several slots on one device -- lease from the
 * same pool, so one budget covers all memory the engine holds on a device. The pool is created
 * by the first {@link #acquire} and closed when the last handle is closed.
 */
public final class SharedPools {
    /** The key of the CPU backends' host pool. */
    public static final String HOST = "host";

    private static final Map<String, Entry> POOLS = new HashMap<>();

    private SharedPools() {
    }

    /** A counted reference to a shared pool; close it in the stage's close(). */
    public static final class Handle implements AutoCloseable {
        private final String key;
        private final BucketedBufferPool pool;
        private boolean closed;

        private Handle(String key, BucketedBufferPool pool) {
            this.key = key;
            this.pool = pool;
        }

        public BucketedBufferPool pool() {
            return pool;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(key);
            }
        }
    }

    private static final class Entry {
        final BucketedBufferPool pool;
        int references;

        Entry(BucketedBufferPool pool) {
            this.pool = pool;
        }
    }

    public static synchronized Handle acquire(String key, Supplier<BucketedBufferPool> factory) {
        Entry e = POOLS.computeIfAbsent(key, k -> new Entry(factory.get()));
        e.references++;
        return new Handle(key, e.pool);
    }

    /** The host pool of the CPU backends. */
    public static Handle host() {
        return acquire(HOST, () -> BucketedBufferPool.host(HOST));
    }

    /** The budget of the pool {@code key} while one is open (for telemetry). */
    public static synchronized Optional<MemoryBudget> budget(String key) {
        Entry e = POOLS.get(key);
        return e == null ? Optional.empty() : Optional.of(e.pool.budget());
    }

    private static synchronized void release(String key) {
        Entry e = POOLS.get(key);
        if (e != null && --e.references == 0) {
            POOLS.remove(key);
            e.pool.close();
        }
    }
}
