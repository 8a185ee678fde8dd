package org.videoforge.inference.tensorrt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The last error and warning lines TensorRT logged, numbered, so that a failed call (a null engine,
 * a false from setInputShape) can put TensorRT's own explanation into its coded error: take a
 * {@link #mark()} before the call, read {@link #since(long)} after. Messages of concurrent builds in
 * other threads may interleave; that only adds context. Thread-safe, bounded.
 */
final class TrtMessages {
    static final int CAPACITY = 64;

    private final ArrayDeque<Entry> recent = new ArrayDeque<>();
    private long sequence;

    private static final class Entry {
        final long sequence;
        final String text;

        Entry(long sequence, String text) {
            this.sequence = sequence;
            this.text = text;
        }
    }

    synchronized void add(String severity, String message) {
        if (recent.size() == CAPACITY) {
            recent.removeFirst();
        }
        recent.addLast(new Entry(++sequence, severity + ": " + (message == null ? "" : message.trim())));
    }

    /** The sequence number of the latest message; messages added later are {@link #since} it. */
    synchronized long mark() {
        return sequence;
    }

    /** Messages logged after {@code mark}, oldest first (at most {@link #CAPACITY}). */
    synchronized List<String> since(long mark) {
        List<String> out = new ArrayList<>();
        for (Iterator<Entry> it = recent.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.sequence > mark) {
                out.add(e.text);
            }
        }
        return out;
    }

    /** " TensorRT said: a | b" for a message tail, or "" when nothing was logged; capped at {@code maxChars}. */
    synchronized String summarySince(long mark, int maxChars) {
        List<String> lines = since(mark);
        if (lines.isEmpty()) {
            return "";
        }
        String joined = String.join(" | ", lines);
        if (joined.length() > maxChars) {
            joined = "..." + joined.substring(joined.length() - maxChars);
        }
        return " TensorRT said: " + joined;
    }
}
