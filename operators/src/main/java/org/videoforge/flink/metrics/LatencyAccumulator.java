package org.videoforge.flink.metrics;

import org.apache.flink.api.common.accumulators.Accumulator;

/**
 * Flink accumulator of per-frame latencies in nanoseconds. Accumulators come back with the job's
 * result (and, while it runs, through the JobClient), which is how the CLI's telemetry summary
 * reaches the client on a local or a remote cluster alike.
 */
public final class LatencyAccumulator implements Accumulator<Long, LatencySummary> {
    private static final long serialVersionUID = 1L;

    private LatencySummary summary = new LatencySummary();

    @Override
    public void add(Long nanos) {
        summary.add(nanos);
    }

    @Override
    public LatencySummary getLocalValue() {
        return summary;
    }

    @Override
    public void resetLocal() {
        summary = new LatencySummary();
    }

    @Override
    public void merge(Accumulator<Long, LatencySummary> other) {
        summary.merge(other.getLocalValue());
    }

    @Override
    public LatencyAccumulator clone() {
        LatencyAccumulator c = new LatencyAccumulator();
        c.summary = summary.copy();
        return c;
    }
}
