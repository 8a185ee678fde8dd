package org.videoforge.flink.metrics;

import org.apache.flink.api.common.accumulators.Accumulator;

/**
 * Flink accumulator of a subtask's {@link FrameGaps}. Its source (the encoder worker) keeps them for
 * the whole run, so {@link #add} takes the latest copy in place of the last; {@link #merge} joins
 * subtasks.
 */
public final class FrameGapAccumulator implements Accumulator<FrameGaps, FrameGaps> {
    private static final long serialVersionUID = 1L;

    private FrameGaps gaps = new FrameGaps();

    @Override
    public void add(FrameGaps latest) {
        gaps = latest.copy();
    }

    @Override
    public FrameGaps getLocalValue() {
        return gaps;
    }

    @Override
    public void resetLocal() {
        gaps = new FrameGaps();
    }

    @Override
    public void merge(Accumulator<FrameGaps, FrameGaps> other) {
        gaps.merge(other.getLocalValue());
    }

    @Override
    public FrameGapAccumulator clone() {
        FrameGapAccumulator c = new FrameGapAccumulator();
        c.gaps = gaps.copy();
        return c;
    }
}
