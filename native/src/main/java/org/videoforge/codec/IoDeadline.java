package org.videoforge.codec;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.Pointer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.memory.AddressPointer;

/**
 * The watchdog of one demuxer or muxer: FFmpeg's interrupt callback answers "stop" once the
 * operation in progress (opening, reading one frame, writing one frame) has run past its
 * deadline. FFmpeg asks before every read and write on the context's I/O and in its probing
 * loops, and the call then fails with AVERROR_EXIT, which the callers turn into
 * {@link ErrorCode#STALLED} (see {@link #stalled()}). A loop inside a codec that does no I/O cannot be interrupted this way;
 * the next I/O after it is.
 */
final class IoDeadline implements AutoCloseable {
    /** Per-operation deadline unless the caller gives one: {@code -Dvideoforge.stall.seconds}, default 60. */
    static final Duration DEFAULT = Duration.ofSeconds(Long.getLong("videoforge.stall.seconds", 60));

    private static final Map<Long, IoDeadline> LIVE = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    /**
     * One callback for every context, finding its deadline by the opaque id: each JavaCPP callback
     * instance takes one of a small fixed number of native thunks, so one per context would run out.
     */
    private static final Interrupt CALLBACK = new Interrupt();

    private final long id = IDS.incrementAndGet();
    private final long budgetNanos;
    private volatile long deadline = Long.MAX_VALUE;
    private volatile String activity = "idle";

    IoDeadline(Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + budget);
        }
        this.budgetNanos = budget.toNanos();
        LIVE.put(id, this);
    }

    /** Makes {@code ctx}'s I/O ask this deadline; call before the context opens anything. */
    void install(AVFormatContext ctx) {
        AVIOInterruptCB cb = ctx.interrupt_callback();
        cb.callback(CALLBACK);
        cb.opaque(new AddressPointer(id, 0));
    }

    /** Starts the clock for {@code what}, e.g. "reading frame 12 of in.mp4". */
    void arm(String what) {
        activity = what;
        deadline = System.nanoTime() + budgetNanos;
    }

    void disarm() {
        deadline = Long.MAX_VALUE;
    }

    boolean expired() {
        return System.nanoTime() - deadline > 0;
    }

    /** The error for a call that failed after this deadline expired: the interrupt cut it short. */
    EngineError stalled() {
        return new EngineError(ErrorCode.STALLED, activity + " made no progress for "
                + Duration.ofNanos(budgetNanos).toMillis() + " ms: FFmpeg's I/O was interrupted by the watchdog");
    }

    @Override
    public void close() {
        LIVE.remove(id);
    }

    private static final class Interrupt extends AVIOInterruptCB.Callback_Pointer {
        Interrupt() {
            super();
        }

        @Override
        public int call(Pointer opaque) {
            IoDeadline d = opaque == null ? null : LIVE.get(opaque.address());
            return d != null && d.expired() ? 1 : 0;
        }
    }
}
