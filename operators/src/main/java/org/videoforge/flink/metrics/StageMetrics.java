package org.videoforge.flink.metrics;

import java.io.Serializable;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.videoforge.memory.FrameBuffer;

/**
 * One stage's instruments, registered once in {@code open()}: a latency histogram (with its window's
 * mean and peak as gauges), frame and pool hit/miss counters and host copies in Flink's metric
 * system (for reporters such as Prometheus; names in {@link TelemetryNames.Metrics}), mirrored into
 * accumulators for the end-of-run summary. Used from the task thread only (accumulators are not
 * thread-safe); reporters read the metrics from their own thread.
 */
public final class StageMetrics {
    private static final int HISTOGRAM_WINDOW = 1024;

    private final MetricGroup group;
    private final Histogram latencyHistogram;
    private final Counter frames;
    private final Counter poolHitCount;
    private final Counter poolMissCount;
    private Histogram batchSize;
    private final LatencyAccumulator latency;
    private final LongCounter poolHits;
    private final LongCounter poolMisses;
    private final LongCounter hostCopies;
    private long hostCopiesReported;

    public StageMetrics(String stage, RuntimeContext ctx) {
        this.group = stageGroup(ctx.getMetricGroup(), stage);
        this.latencyHistogram = group.histogram(TelemetryNames.Metrics.LATENCY,
                new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        // Flink's Prometheus reporter exports a histogram's quantiles and count only: the window's
        // mean and peak go out as gauges of their own.
        group.gauge(TelemetryNames.Metrics.LATENCY_AVG, () -> latencyHistogram.getStatistics().getMean());
        group.gauge(TelemetryNames.Metrics.LATENCY_PEAK, () -> latencyHistogram.getStatistics().getMax());
        this.frames = group.counter(TelemetryNames.Metrics.FRAMES);
        this.poolHitCount = group.counter(TelemetryNames.Metrics.POOL_HITS);
        this.poolMissCount = group.counter(TelemetryNames.Metrics.POOL_MISSES);
        this.latency = accumulator(ctx, TelemetryNames.latency(stage), new LatencyAccumulator());
        this.poolHits = accumulator(ctx, TelemetryNames.POOL_HITS, new LongCounter());
        this.poolMisses = accumulator(ctx, TelemetryNames.POOL_MISSES, new LongCounter());
        this.hostCopies = accumulator(ctx, TelemetryNames.HOST_COPIES, new LongCounter());
        group.gauge(TelemetryNames.Metrics.HOST_COPIES, () -> hostCopiesReported);
    }

    /** The group of {@code stage}'s metrics under an operator's group: videoforge.stage.&lt;stage&gt;. */
    public static MetricGroup stageGroup(MetricGroup operator, String stage) {
        return operator.addGroup(TelemetryNames.Metrics.GROUP).addGroup(TelemetryNames.Metrics.STAGE_KEY, stage);
    }

    /** Registers {@code stage}'s queue depth gauge in an operator's group (stages that have a queue). */
    public static void queueDepth(MetricGroup operator, String stage, Gauge<Integer> depth) {
        stageGroup(operator, stage).gauge(TelemetryNames.Metrics.QUEUE_DEPTH, depth);
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
            poolHitCount.inc();
        } else {
            poolMisses.add(1L);
            poolMissCount.inc();
        }
        return buffer;
    }

    /**
     * Records the number of frames one model run took. The histogram is registered by the first
     * call, so only stages that run a model (Inference) export it.
     */
    public void batchOf(int framesInRun) {
        if (batchSize == null) {
            batchSize = group.histogram(TelemetryNames.Metrics.BATCH_SIZE,
                    new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        }
        batchSize.update(framesInRun);
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
        poolHitCount.inc(hits);
        poolMissCount.inc(misses);
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
