package org.videoforge.flink.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The longest gaps between consecutive frames the encoder took, each with the frame that ended it
 * (its index in its video): where a run stalled (a collection, a file finished, a frame held back),
 * which a mean and a peak latency do not say. Keeps the {@value #KEPT} longest; merged across
 * subtasks. Thread-safe: the encoder thread adds, the task thread copies.
 */
public final class FrameGaps implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int KEPT = 3;

    /** One gap: the frame (its index in its video) that ended it, and how long it was. */
    public record Gap(long frame, long nanos) implements Serializable {
        public double millis() {
            return nanos / 1e6;
        }
    }

    /** Longest first; at most {@link #KEPT}. */
    private final ArrayList<Gap> longest = new ArrayList<>(KEPT + 1);

    public synchronized void add(long frame, long nanos) {
        insert(new Gap(frame, nanos));
    }

    private void insert(Gap g) {
        int at = 0;
        while (at < longest.size() && longest.get(at).nanos() >= g.nanos()) {
            at++;
        }
        if (at < KEPT) {
            longest.add(at, g);
            if (longest.size() > KEPT) {
                longest.remove(KEPT);
            }
        }
    }

    synchronized void merge(FrameGaps other) {
        for (Gap g : other.longest()) {
            insert(g);
        }
    }

    public synchronized FrameGaps copy() {
        FrameGaps c = new FrameGaps();
        c.longest.addAll(longest);
        return c;
    }

    /** The gaps kept, longest first. */
    public synchronized List<Gap> longest() {
        return List.copyOf(longest);
    }
}
