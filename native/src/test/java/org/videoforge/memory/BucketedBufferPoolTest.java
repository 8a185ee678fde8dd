package org.videoforge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

class BucketedBufferPoolTest {

    /** Counts raw allocations so the test sees what the pool really asks of the allocator. */
    static final class CountingAllocator implements RawAllocator {
        final HostAllocator host = new HostAllocator();
        final Set<Long> live = new HashSet<>();
        int allocations;

        @Override
        public MemoryKind kind() {
            return MemoryKind.HOST;
        }

        @Override
        public long allocate(long bytes) {
            allocations++;
            long a = host.allocate(bytes);
            live.add(a);
            return a;
        }

        @Override
        public void free(long address) {
            assertTrue(live.remove(address), "freed an address the pool never allocated or freed it twice");
            host.free(address);
        }
    }

    @Test
    void steadyStateIsAllHitsAndNoAllocations() {
        CountingAllocator alloc = new CountingAllocator();
        try (BucketedBufferPool pool = new BucketedBufferPool("t", alloc, MemoryBudget.unlimited("t"))) {
            // Warm-up: 3 frames in flight at once.
            List<FrameBuffer> warm = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                warm.add(pool.acquire(1_000_000));
            }
            warm.forEach(FrameBuffer::close);
            int afterWarmUp = alloc.allocations;
            for (int i = 0; i < 100; i++) {
                try (FrameBuffer a = pool.acquire(1_000_000); FrameBuffer b = pool.acquire(999_999)) {
                    assertTrue(a.recycled() && b.recycled());
                }
            }
            assertEquals(afterWarmUp, alloc.allocations, "no allocation after warm-up");
            PoolStats s = pool.stats();
            assertEquals(3, s.misses());
            assertEquals(200, s.hits());
            assertEquals(0, s.leasesOut());
            assertTrue(s.hitRate() > 0.98);
        }
        assertTrue(alloc.live.isEmpty(), "closing the pool frees every block");
    }

    @Test
    void budgetCeilingIsACodedErrorNotAnAllocation() {
        CountingAllocator alloc = new CountingAllocator();
        MemoryBudget budget = new MemoryBudget("vram", 3 * 1024 * 1024);
        try (BucketedBufferPool pool = new BucketedBufferPool("t", alloc, budget)) {
            FrameBuffer a = pool.acquire(2 * 1024 * 1024);
            EngineError e = assertThrows(EngineError.class, () -> pool.acquire(2 * 1024 * 1024));
            assertEquals(ErrorCode.VRAM_EXHAUSTED, e.code());
            assertEquals(1, alloc.allocations, "the refused request allocated nothing");
            assertEquals(2 * 1024 * 1024, budget.heldBytes());
            a.close();
            // The idle 2 MiB block is evicted to make room for a block of another size.
            try (FrameBuffer b = pool.acquire(3 * 1024 * 1024)) {
                assertFalse(b.recycled());
                assertEquals(3 * 1024 * 1024, budget.heldBytes());
            }
        }
        assertEquals(0, budget.heldBytes());
    }

    @Test
    void leaseUsedAfterCloseThrowsAndDoubleCloseIsHarmless() {
        try (BucketedBufferPool pool = BucketedBufferPool.host("t")) {
            FrameBuffer b = pool.acquire(100);
            b.close();
            b.close();
            assertThrows(IllegalStateException.class, b::address);
            assertEquals(0, pool.stats().leasesOut());
        }
    }

    @Test
    void leaseReturnedAfterPoolCloseIsFreed() {
        CountingAllocator alloc = new CountingAllocator();
        BucketedBufferPool pool = new BucketedBufferPool("t", alloc, MemoryBudget.unlimited("t"));
        FrameBuffer b = pool.acquire(4096);
        pool.close();
        assertEquals(1, alloc.live.size());
        b.close();
        assertTrue(alloc.live.isEmpty());
    }

    @Test
    void sharedPoolsAreReferenceCounted() {
        SharedPools.Handle a = SharedPools.acquire("test-shared", () -> BucketedBufferPool.host("test-shared"));
        SharedPools.Handle b = SharedPools.acquire("test-shared", () -> BucketedBufferPool.host("other"));
        assertTrue(a.pool() == b.pool());
        a.close();
        try (FrameBuffer f = b.pool().acquire(10)) {
            assertFalse(f.isReleased(), "pool still open while one handle remains");
        }
        b.close();
        assertThrows(IllegalStateException.class, () -> b.pool().acquire(10));
    }
}
