package org.videoforge.codec;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live counts of the FFmpeg objects this package opens, so that tests (and a leak hunt in a
 * running TaskManager) can see that every path, failures included, closed what it opened.
 */
public final class OpenHandles {
    static final AtomicInteger DEMUXERS = new AtomicInteger();
    static final AtomicInteger CODECS = new AtomicInteger();
    static final AtomicInteger MUXERS = new AtomicInteger();

    private OpenHandles() {
    }

    /** Open input format contexts (probe, decoder, stream copy). */
    public static int demuxers() {
        return DEMUXERS.get();
    }

    /** Open decoder and encoder contexts. */
    public static int codecs() {
        return CODECS.get();
    }

    /** Open output format contexts. */
    public static int muxers() {
        return MUXERS.get();
    }

    /** "demuxers=0 codecs=0 muxers=0". */
    public static String summary() {
        return "demuxers=" + demuxers() + " codecs=" + codecs() + " muxers=" + muxers();
    }
}
