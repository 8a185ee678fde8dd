package org.videoforge.flink.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.videoforge.flink.envelope.FrameEnvelope;

/**
 * Which frames are inferred together (micro-batching): frames of one size collect until there are
 * {@code maxBatch} of them, their video ends, or the first of them has waited the deadline; a
 * frame of another size first sends the collected ones on. Times are the caller's processing time
 * in milliseconds (Flink's timers have that resolution), so the deadline is rounded up to whole
 * milliseconds. Single-threaded: the inference operator's task thread.
 */
final class FrameBatcher {
    private final int maxBatch;
    private final long deadlineMillis;
    private final List<FrameEnvelope> pending = new ArrayList<>();
    private long dueAt;

    FrameBatcher(int maxBatch, long deadlineMicros) {
        if (maxBatch < 1 || deadlineMicros < 0) {
            throw new IllegalArgumentException("batch of " + maxBatch + ", deadline " + deadlineMicros + " us");
        }
        this.maxBatch = maxBatch;
        this.deadlineMillis = (deadlineMicros + 999) / 1000;
    }

    /** True if {@code next} cannot join the frames collected so far (another frame size). */
    boolean incompatible(FrameEnvelope next) {
        if (pending.isEmpty()) {
            return false;
        }
        FrameEnvelope first = pending.get(0);
        return first.width() != next.width() || first.height() != next.height()
                || !Objects.equals(first.video().model(null), next.video().model(null))
                || first.video().precision(null) != next.video().precision(null);
    }

    /**
     * Adds {@code frame} (compatible, see {@link #incompatible}) at time {@code nowMillis}; true if
     * the batch is complete and should run now.
     */
    boolean add(FrameEnvelope frame, long nowMillis) {
        if (incompatible(frame)) {
            throw new IllegalStateException("flush before adding a frame of another size");
        }
        if (pending.isEmpty()) {
            dueAt = nowMillis + deadlineMillis;
        }
        pending.add(frame);
        return pending.size() >= maxBatch || frame.lastOfVideo() || deadlineMillis == 0;
    }

    /** The deadline in milliseconds (rounded up). */
    long deadlineMillis() {
        return deadlineMillis;
    }

    /** When the collected frames must run at the latest; meaningful only while some are collected. */
    long dueAt() {
        return dueAt;
    }

    /** True if frames are collected and the first of them has waited its deadline at {@code nowMillis}. */
    boolean due(long nowMillis) {
        return !pending.isEmpty() && nowMillis >= dueAt;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The collected frames, in arrival order; the batcher is empty afterwards. */
    List<FrameEnvelope> take() {
        List<FrameEnvelope> batch = List.copyOf(pending);
        pending.clear();
        return batch;
    }
}
