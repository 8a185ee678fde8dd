package org.videoforge.flink.metrics;

import java.io.Serializable;

/** Count, mean and peak of one stage's per-frame latency; merged across subtasks. */
public final class LatencySummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private long count;
    private long totalNanos;
    private long peakNanos;

    public LatencySummary() {
    }

    LatencySummary(long count, long totalNanos, long peakNanos) {
        this.count = count;
        this.totalNanos = totalNanos;
        this.peakNanos = peakNanos;
    }

    void add(long nanos) {
        count++;
        totalNanos += nanos;
        peakNanos = Math.max(peakNanos, nanos);
    }

    void merge(LatencySummary other) {
        count += other.count;
        totalNanos += other.totalNanos;
        peakNanos = Math.max(peakNanos, other.peakNanos);
    }

    LatencySummary copy() {
        return new LatencySummary(count, totalNanos, peakNanos);
    }

    public long count() {
        return count;
    }

    public double averageMillis() {
        return count == 0 ? 0 : totalNanos / 1e6 / count;
    }

    public double peakMillis() {
        return peakNanos / 1e6;
    }

    public double totalSeconds() {
        return totalNanos / 1e9;
    }
}
