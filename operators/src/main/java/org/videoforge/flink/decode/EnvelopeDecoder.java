package org.videoforge.flink.decode;

import java.util.function.IntSupplier;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.FrameDecoder;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.core.VideoSegment;
import org.videoforge.frame.VideoStreamInfo;

/**
 * The Decode stage's work for one task: its frames as envelopes, in presentation order — the whole
 * video, or just its segment's range. Holds one decoded frame back to know whether another
 * follows, which is how the last frame is marked (end of stream is the end of the input, not a
 * sentinel frame). Used by the CLI's source reader and by the segmented jobs' decode stage.
 */
public final class EnvelopeDecoder implements AutoCloseable {
    private final VideoTask task;
    private final IntSupplier queueDepth;
    private final long firstIndex;
    private FrameDecoder decoder;
    private DecodedFrame held;
    /** Time the held frame took to decode; the first one's stays readable as firstFrameNanos. */
    private long heldNanos;
    private long firstFrameNanos;
    private long emitted;

    /**
     * Decodes the first frame of {@code frames}: the task's frames (its segment's range for a
     * segment), taken over from here on.
     *
     * @param queueDepth frames decoded but not yet taken by Preprocess, recorded in each envelope
     * @throws EngineError CORRUPT_STREAM when there is no decodable frame
     */
    public EnvelopeDecoder(VideoTask task, FrameDecoder frames, IntSupplier queueDepth) {
        this.task = task;
        this.queueDepth = queueDepth;
        VideoSegment segment = task.segment();
        this.firstIndex = segment == null ? 0 : segment.firstFrame();
        this.decoder = frames;
        try {
            long t0 = System.nanoTime();
            held = decoder.next();
            heldNanos = System.nanoTime() - t0;
            firstFrameNanos = heldNanos;
            if (held == null) {
                throw new EngineError(ErrorCode.CORRUPT_STREAM, task + " has no decodable frame");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** How long the first frame took (for a segment: the seek and decoding up to its first frame). */
    public long firstFrameNanos() {
        return firstFrameNanos;
    }

    /** The next envelope, or null after the last one. */
    public FrameEnvelope next() {
        if (held == null) {
            return null;
        }
        long t0 = System.nanoTime();
        DecodedFrame next = decoder.next();
        long nextNanos = System.nanoTime() - t0;
        DecodedFrame frame = held;
        VideoStreamInfo v = task.source().video();
        FrameEnvelope envelope = new FrameEnvelope(task, firstIndex + emitted++, frame.pts(), next == null,
                frame.detach(), v.width(), v.height(), heldNanos, queueDepth.getAsInt());
        held = next;
        heldNanos = nextNanos;
        return envelope;
    }

    @Override
    public void close() {
        if (held != null) {
            held.close();
            held = null;
        }
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }
}
