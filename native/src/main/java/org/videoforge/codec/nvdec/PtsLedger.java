package org.videoforge.codec.nvdec;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The pts of the packets fed to the parser and whether each is to be discarded, looked up by the
 * timestamp a displayed frame comes back with. The parser passes a packet's timestamp to the frame
 * that packet carried; a timestamp it did not get from us (interpolated for a packet without one)
 * is not in the ledger. Duplicate pts are kept in feed order.
 */
final class PtsLedger {
    /** What is known about a displayed frame's packet. */
    enum Entry {
        /** A packet with this pts was fed: the frame's pts is the timestamp. */
        SHOWN,
        /** Its packet was flagged discard (outside an MP4 edit list): decoded, never output. */
        DISCARDED,
        /** No packet with this pts was fed: the timestamp is the parser's guess. */
        UNKNOWN
    }

    private final Map<Long, ArrayDeque<Boolean>> pending = new HashMap<>();

    void fed(long pts, boolean discard) {
        pending.computeIfAbsent(pts, k -> new ArrayDeque<>()).add(discard);
    }

    Entry take(long timestamp) {
        ArrayDeque<Boolean> q = pending.get(timestamp);
        if (q == null) {
            return Entry.UNKNOWN;
        }
        boolean discard = q.poll();
        if (q.isEmpty()) {
            pending.remove(timestamp);
        }
        return discard ? Entry.DISCARDED : Entry.SHOWN;
    }

    /** Forgets every fed packet: after a seek, nothing fed before it will be displayed. */
    void clear() {
        pending.clear();
    }

    /** Fed packets whose frame has not been displayed (yet, or ever: parameter-set-only packets). */
    int pending() {
        int n = 0;
        for (ArrayDeque<Boolean> q : pending.values()) {
            n += q.size();
        }
        return n;
    }
}
