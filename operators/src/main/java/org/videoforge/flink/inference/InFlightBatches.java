package org.videoforge.flink.inference;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The batches whose runs are queued on the device and not yet emitted, oldest first. Keeping more
 * than one lets the task thread decode and prepare the next frames while the device computes
 * (a backend that computes synchronously hands back finished runs, which leave at once). Batches
 * leave in launch order only, so frames keep their order.
 */
final class InFlightBatches {
    private final int limit;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private long launched;
    private long waitedNanos;

    private record Entry(long sequence, LaunchedBatch batch) {
    }

    /** At most {@code limit} batches in flight at once. */
    InFlightBatches(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
    }

    /** Before a launch: finishes the oldest batches until there is room for one more. */
    void makeRoom(Consumer<LaunchedBatch> emit) {
        while (queue.size() >= limit) {
            finishOldest(emit);
        }
    }

    /** Adds a launched batch (after {@link #makeRoom}) and returns its sequence number. */
    long add(LaunchedBatch batch) {
        if (queue.size() >= limit) {
            throw new IllegalStateException(queue.size() + " batches in flight already, limit " + limit);
        }
        long sequence = ++launched;
        queue.add(new Entry(sequence, batch));
        return sequence;
    }

    /** Finishes the oldest batches whose runs are done, without waiting. */
    void finishDone(Consumer<LaunchedBatch> emit) {
        while (!queue.isEmpty() && queue.peek().batch().isDone()) {
            finishOldest(emit);
        }
    }

    /** Finishes (waiting if needed) every batch up to and including sequence number {@code sequence}. */
    void finishThrough(long sequence, Consumer<LaunchedBatch> emit) {
        while (!queue.isEmpty() && queue.peek().sequence() <= sequence) {
            finishOldest(emit);
        }
    }

    /** Finishes every batch, waiting for their runs. */
    void finishAll(Consumer<LaunchedBatch> emit) {
        finishThrough(Long.MAX_VALUE, emit);
    }

    /** Ends every batch without emitting it (the task is going down). */
    void abandonAll() {
        Entry e;
        while ((e = queue.poll()) != null) {
            e.batch().abandon();
        }
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Nanoseconds the caller has spent blocked on runs that were not done yet. */
    long waitedNanos() {
        return waitedNanos;
    }

    private void finishOldest(Consumer<LaunchedBatch> emit) {
        LaunchedBatch batch = queue.poll().batch();
        long t0 = batch.isDone() ? 0 : System.nanoTime();
        batch.finish(); // on failure it has released its buffers; the rest go on close
        if (t0 != 0) {
            waitedNanos += System.nanoTime() - t0;
        }
        emit.accept(batch);
    }
}
