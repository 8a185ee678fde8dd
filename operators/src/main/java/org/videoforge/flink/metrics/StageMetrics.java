package org.videoforge.flink.metrics;

import java.io.Serializable;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.videoforge.memory.FrameBuffer;

/**
 * One stage's instruments, registered once in {@code open()}: a latency histogram and frame
 * counter in Flink's metric system (for reporters such as Prometheus), mirrored into
 * accumulators for the end-of-run summary, plus pool hit/miss counting for the buffers the stage
 * leases. Used from the task thread only (accumulators are not thread-safe).
 */
public final class StageMetrics {
    private static final int HISTOGRAM_WINDOW = 1024;

    private final Histogram latencyHistogram;
    private final Counter frames;
    private final LatencyAccumulator latency;
    private final LongCounter poolHits;
    private final LongCounter poolMisses;
    private final LongCounter hostCopies;
    private long hostCopiesReported;

    public StageMetrics(String stage, RuntimeContext ctx) {
        MetricGroup group = ctx.getMetricGroup().addGroup("videoforge").addGroup("stage", stage);
        this.latencyHistogram = group.histogram("latencyNanos", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        this.frames = group.counter("frames");
        this.latency = accumulator(ctx, TelemetryNames.latency(stage), new LatencyAccumulator());
        this.poolHits = accumulator(ctx, TelemetryNames.POOL_HITS, new LongCounter());
        this.poolMisses = accumulator(ctx, TelemetryNames.POOL_MISSES, new LongCounter());
        this.hostCopies = accumulator(ctx, TelemetryNames.HOST_COPIES, new LongCounter());
        group.gauge("hostCopies", () -> hostCopiesReported);
    }

    /** Records one frame's time in this stage. */
    public void frame(long nanos) {
        latencyHistogram.update(nanos);
        frames.inc();
        latency.add(nanos);
    }

    /** Counts whether a freshly leased buffer came from the pool or had to be allocated. */
    public FrameBuffer leased(FrameBuffer buffer) {
        if (buffer.recycled()) {
            poolHits.add(1L);
        } else {
            poolMisses.add(1L);
        }
        return buffer;
    }

    /** Publishes the stage device's running count of host<->device frame copies. */
    public void hostCopies(long total) {
        hostCopies.add(total - hostCopiesReported);
        hostCopiesReported = total;
    }

    /** Adds pool counts gathered off the task thread (the encoder worker). */
    public void addPoolCounts(long hits, long misses) {
        poolHits.add(hits);
        poolMisses.add(misses);
    }

    /**
     * Returns the accumulator registered under {@code name} in this task, registering
     * {@code fresh} if none is: chained operators of one task share counters such as pool hits.
     */
    @SuppressWarnings("unchecked")
    public static <V, R extends Serializable, A extends Accumulator<V, R>> A accumulator(
            RuntimeContext ctx, String name, A fresh) {
        try {
            ctx.addAccumulator(name, fresh);
            return fresh;
        } catch (UnsupportedOperationException alreadyThere) {
            return (A) ctx.<V, R>getAccumulator(name);
        }
    }
}
