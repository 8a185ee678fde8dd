package org.videoforge.memory;

import java.util.concurrent.atomic.AtomicLong;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * An atomic count of the bytes an engine holds of one kind of memory, with an optional ceiling
 * ({@code --vram-limit}). Exceeding the ceiling is a coded {@link ErrorCode#VRAM_EXHAUSTED}
 * before the allocation is attempted, never an out-of-memory from the runtime.
 */
public final class MemoryBudget {
    /** No ceiling. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private final String name;
    private final long limitBytes;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    public MemoryBudget(String name, long limitBytes) {
        this.name = name;
        this.limitBytes = limitBytes <= 0 ? UNLIMITED : limitBytes;
    }

    public static MemoryBudget unlimited(String name) {
        return new MemoryBudget(name, UNLIMITED);
    }

    /** Reserves {@code bytes} or throws VRAM_EXHAUSTED; nothing is reserved on failure. */
    public void reserve(long bytes, String purpose) {
        long now;
        long next;
        do {
            now = held.get();
            next = now + bytes;
            if (next > limitBytes || next < 0) {
                throw new EngineError(ErrorCode.VRAM_EXHAUSTED, String.format(
                        "%s: %s needs %.1f MiB more, %.1f MiB of the %.1f MiB limit already held",
                        name, purpose, mib(bytes), mib(now), mib(limitBytes)));
            }
        } while (!held.compareAndSet(now, next));
        peak.accumulateAndGet(next, Math::max);
    }

    public void release(long bytes) {
        held.addAndGet(-bytes);
    }

    public long heldBytes() {
        return held.get();
    }

    public long peakBytes() {
        return peak.get();
    }

    public long limitBytes() {
        return limitBytes;
    }

    public boolean isLimited() {
        return limitBytes != UNLIMITED;
    }

    private static double mib(long b) {
        return b / 1048576.0;
    }
}
