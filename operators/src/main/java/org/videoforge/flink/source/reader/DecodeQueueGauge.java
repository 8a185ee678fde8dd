package org.videoforge.flink.source.reader;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Frames decoded by the fetcher thread but not yet emitted to Preprocess: the depth of the
 * decode queue (bounded by the reader's element queue capacity).
 */
final class DecodeQueueGauge {
    private final AtomicInteger depth = new AtomicInteger();

    int produced() {
        return depth.incrementAndGet();
    }

    void emitted() {
        depth.decrementAndGet();
    }

    int depth() {
        return depth.get();
    }
}
