package org.videoforge.flink.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.flink.metrics.Counter;
import org.junit.jupiter.api.Test;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.HostAllocator;
import org.videoforge.memory.MemoryBudget;
import org.videoforge.memory.SharedPools;

/** The pool gauges follow the live shared pool; the segment counter has its agreed name. */
class PipelineMetricsTest {

    @Test
    void poolGaugesReportHeldBytesAndTheCeilingOfTheOpenPool() {
        String key = "test-pool-gauges";
        RecordingMetricGroup group = new RecordingMetricGroup();
        PipelineMetrics.memoryPool(group, key);
        String held = "videoforge.pool." + key + ".heldBytes";
        String limit = "videoforge.pool." + key + ".limitBytes";
        assertEquals(0L, group.gaugeValue(held), "no pool open yet");

        try (SharedPools.Handle pool = SharedPools.acquire(key,
                () -> new BucketedBufferPool(key, new HostAllocator(), new MemoryBudget(key, 1 << 20)))) {
            try (FrameBuffer lease = pool.pool().acquire(10_000)) {
                assertEquals(12_288L, group.gaugeValue(held), "rounded up to the 4 KiB granule");
                assertEquals(1L << 20, group.gaugeValue(limit));
            }
            assertEquals(12_288L, group.gaugeValue(held), "an idle block is still held by the pool");
        }
        assertEquals(0L, group.gaugeValue(held), "the last handle closed the pool");
        assertEquals(0L, group.gaugeValue(limit));
    }

    @Test
    void unlimitedPoolReportsNoCeiling() {
        RecordingMetricGroup group = new RecordingMetricGroup();
        PipelineMetrics.memoryPool(group, SharedPools.HOST);
        try (SharedPools.Handle host = SharedPools.host(); FrameBuffer lease = host.pool().acquire(4096)) {
            assertEquals(0L, group.gaugeValue("videoforge.pool.host.limitBytes"));
            assertEquals(4096L, group.gaugeValue("videoforge.pool.host.heldBytes"));
        }
    }

    @Test
    void segmentsCommittedCounterIsRegisteredUnderTheVideoForgeGroup() {
        RecordingMetricGroup group = new RecordingMetricGroup();
        Counter c = PipelineMetrics.segmentsCommitted(group);
        c.inc(3);
        assertEquals(c, group.metrics().get("videoforge." + TelemetryNames.Metrics.SEGMENTS_COMMITTED));
        assertEquals(3, c.getCount());
    }
}
