package org.videoforge.flink.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.videoforge.memory.MemoryBudget;
import org.videoforge.memory.SharedPools;

/**
 * Metrics that belong to no single stage: the memory a frame pool holds against its ceiling (VRAM
 * on the GPU path) and committed segments. Names in {@link TelemetryNames.Metrics}.
 */
public final class PipelineMetrics {
    private PipelineMetrics() {
    }

    /**
     * Registers the held-bytes and limit gauges of the shared pool {@code poolKey} ("host", "cuda:N")
     * in an operator's group: videoforge.pool.&lt;key&gt;. The gauges look the pool up when read, so
     * they report 0 once its last user has closed it.
     */
    public static void memoryPool(MetricGroup operator, String poolKey) {
        MetricGroup group = operator.addGroup(TelemetryNames.Metrics.GROUP)
                .addGroup(TelemetryNames.Metrics.POOL_KEY, poolKey);
        group.gauge(TelemetryNames.Metrics.POOL_HELD_BYTES,
                () -> SharedPools.budget(poolKey).map(MemoryBudget::heldBytes).orElse(0L));
        group.gauge(TelemetryNames.Metrics.POOL_LIMIT_BYTES,
                () -> SharedPools.budget(poolKey).filter(MemoryBudget::isLimited).map(MemoryBudget::limitBytes)
                        .orElse(0L));
    }

    /**
     * The counter of committed segments in the committing operator's group (a sink writer's or
     * committer's {@code metricGroup()}): videoforge.segmentsCommitted. Increment it once per
     * segment made visible.
     */
    public static Counter segmentsCommitted(MetricGroup operator) {
        return operator.addGroup(TelemetryNames.Metrics.GROUP).counter(TelemetryNames.Metrics.SEGMENTS_COMMITTED);
    }
}
