package org.videoforge.flink.decode;

import java.util.function.IntSupplier;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.FrameDecoder;
import org.videoforge.codec.RangeDecoder;
import org.videoforge.device.FrameDevice;
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
 * sentinel frame). Used by the CLI's source reader and by the segmented jobs' decode function.
 */
public final class EnvelopeDecoder implements AutoCloseable {
    private final VideoTask task;
    private final IntSupplier queueDepth;
    private final long firstIndex;
    private FrameDecoder decoder;
    private DecodedFrame held;
    private long heldNanos;
    private long emitted;

    /**
     * Opens the decoder and decodes the first frame.
     *
     * @param queueDepth frames decoded but not yet taken by Preprocess, recorded in each envelope
     * @throws EngineError CORRUPT_STREAM when there is no decodable frame
     */
    public EnvelopeDecoder(FrameDevice device, VideoTask task, IntSupplier queueDepth) {
        this.task = task;
        this.queueDepth = queueDepth;
        VideoSegment segment = task.segment();
        this.firstIndex = segment == null ? 0 : segment.firstFrame();
        FrameDecoder opened = device.openDecoder(task.source());
        decoder = segment == null ? opened
                : new RangeDecoder(opened, segment.startPts(), segment.endPts(), segment.frames(), task.toString());
        try {
            long t0 = System.nanoTime();
            held = decoder.next();
            heldNanos = System.nanoTime() - t0;
            if (held == null) {
                throw new EngineError(ErrorCode.CORRUPT_STREAM, task + " has no decodable frame");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
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
