package org.videoforge.gpu;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Process-wide count of frame data crossing between host and device memory
 * ({@link FrameTransfers}). The GPU-resident pipeline moves each frame across at most once
 * (0 with NVDEC and NVENC, 1 when decode or encode runs on the CPU); telemetry checks that.
 */
public final class HostCopies {
    private static final AtomicLong COPIES = new AtomicLong();
    private static final AtomicLong BYTES = new AtomicLong();
    private static final AtomicLong UPLOADS = new AtomicLong();
    private static final AtomicLong DOWNLOADS = new AtomicLong();

    private HostCopies() {
    }

    /** Copies in either direction, ever. */
    public static long count() {
        return COPIES.get();
    }

    public static long bytes() {
        return BYTES.get();
    }

    public static long uploads() {
        return UPLOADS.get();
    }

    public static long downloads() {
        return DOWNLOADS.get();
    }

    static void upload(long bytes) {
        UPLOADS.incrementAndGet();
        record(bytes);
    }

    static void download(long bytes) {
        DOWNLOADS.incrementAndGet();
        record(bytes);
    }

    private static void record(long bytes) {
        COPIES.incrementAndGet();
        BYTES.addAndGet(bytes);
    }
}
