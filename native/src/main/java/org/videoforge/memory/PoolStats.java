package org.videoforge.memory;

/** A snapshot of a pool's counters, for telemetry. */
public final class PoolStats {
    private final long hits;
    private final long misses;
    private final long leasesOut;
    private final long bytesHeld;

    public PoolStats(long hits, long misses, long leasesOut, long bytesHeld) {
        this.hits = hits;
        this.misses = misses;
        this.leasesOut = leasesOut;
        this.bytesHeld = bytesHeld;
    }

    public long hits() {
        return hits;
    }

    /** Acquisitions that had to allocate: after warm-up this should stop growing. */
    public long misses() {
        return misses;
    }

    public long leasesOut() {
        return leasesOut;
    }

    public long bytesHeld() {
        return bytesHeld;
    }

    public double hitRate() {
        long total = hits + misses;
        return total == 0 ? 0 : (double) hits / total;
    }

    @Override
    public String toString() {
        return String.format("hits=%d misses=%d hitRate=%.2f%% leasesOut=%d held=%.1fMiB",
                hits, misses, 100 * hitRate(), leasesOut, bytesHeld / 1048576.0);
    }
}
