package org.videoforge.flink.envelope;

import org.videoforge.error.EngineError;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.memory.FrameBuffer;

/**
 * One frame on its way through the chained Decode -> Preprocess -> Inference -> Encode task.
 * It owns exactly one pooled buffer at a time (the decoded YUV frame, then the input tensor, then
 * the upscaled tensor); each stage replaces the payload, which returns the previous buffer to its
 * pool. Passed by reference between chained operators (object reuse); never serialized -- see
 * {@link FrameEnvelopeSerializer}.
 */
public final class FrameEnvelope implements AutoCloseable {
    /** What the payload currently holds. */
    public enum Payload {
        /** NV12/P010 frame as decoded. */
        YUV,
        /** RGB planar [1,3,h,w] tensor for the model. */
        INPUT_TENSOR,
        /** RGB planar [1,3,h*s,w*s] tensor from the model. */
        OUTPUT_TENSOR
    }

    private final VideoTask video;
    private final long index;
    private final long pts;
    private final boolean lastOfVideo;
    private final long decodeNanos;
    private final int decodeQueueDepth;
    private final EngineError failure;
    private long preprocessNanos;
    private long inferenceNanos;
    private FrameBuffer payload;
    private Payload kind;
    private int width;
    private int height;

    public FrameEnvelope(VideoTask video, long index, long pts, boolean lastOfVideo, FrameBuffer yuv,
                         int width, int height, long decodeNanos, int decodeQueueDepth) {
        this.video = video;
        this.index = index;
        this.pts = pts;
        this.lastOfVideo = lastOfVideo;
        this.payload = yuv;
        this.kind = Payload.YUV;
        this.width = width;
        this.height = height;
        this.decodeNanos = decodeNanos;
        this.decodeQueueDepth = decodeQueueDepth;
        this.failure = null;
    }

    private FrameEnvelope(VideoTask video, EngineError failure) {
        this.video = video;
        this.index = -1;
        this.pts = Long.MIN_VALUE;
        this.lastOfVideo = true;
        this.decodeNanos = 0;
        this.decodeQueueDepth = 0;
        this.failure = failure;
    }

    /**
     * Ends {@code video} (a video or segment) with a coded error instead of a last frame: it holds no
     * payload, the stages pass it on untouched, and the encoder drops what it has of that video and
     * reports the error. This keeps one bad input from failing the whole job.
     */
    public static FrameEnvelope failed(VideoTask video, EngineError failure) {
        return new FrameEnvelope(video, failure);
    }

    /** The error that ended this video, or null for a frame. */
    public EngineError failure() {
        return failure;
    }

    /** Time the Preprocess stage spent on this frame. */
    public long preprocessNanos() {
        return preprocessNanos;
    }

    public void preprocessNanos(long nanos) {
        preprocessNanos = nanos;
    }

    /** Time the Inference stage spent on this frame. */
    public long inferenceNanos() {
        return inferenceNanos;
    }

    public void inferenceNanos(long nanos) {
        inferenceNanos = nanos;
    }

    public VideoTask video() {
        return video;
    }

    /** 0-based index of the frame in its video, in presentation order. */
    public long index() {
        return index;
    }

    /** Presentation timestamp in the source stream's time base, carried through unchanged. */
    public long pts() {
        return pts;
    }

    /** True on the video's final frame: the encoder finishes the file after it. */
    public boolean lastOfVideo() {
        return lastOfVideo;
    }

    /** Time the decoder spent producing this frame (measured on the decode thread). */
    public long decodeNanos() {
        return decodeNanos;
    }

    /** Frames decoded but not yet taken by Preprocess when this one was emitted. */
    public int decodeQueueDepth() {
        return decodeQueueDepth;
    }

    public Payload kind() {
        return kind;
    }

    public FrameBuffer payload() {
        if (payload == null) {
            throw new IllegalStateException("envelope of frame " + index + " holds no payload");
        }
        return payload;
    }

    /** Bytes of the payload's buffer; 0 for an envelope without one (a failed video's marker, or taken). */
    public long payloadBytes() {
        return payload == null ? 0 : payload.capacity();
    }

    /** Width of the payload's picture (grows by the model's scale after inference). */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Installs the next stage's buffer and returns the previous one to its pool. */
    public void replacePayload(FrameBuffer next, Payload nextKind, int nextWidth, int nextHeight) {
        FrameBuffer previous = payload;
        payload = next;
        kind = nextKind;
        width = nextWidth;
        height = nextHeight;
        if (previous != null) {
            previous.close();
        }
    }

    /** Hands the payload to a new owner (the encoder thread); the envelope is empty afterwards. */
    public FrameBuffer takePayload() {
        FrameBuffer p = payload();
        payload = null;
        return p;
    }

    @Override
    public void close() {
        if (payload != null) {
            payload.close();
            payload = null;
        }
    }

    @Override
    public String toString() {
        if (failure != null) {
            return "FrameEnvelope{" + video.id() + " failed: " + failure.oneLine() + "}";
        }
        return "FrameEnvelope{" + video.id() + "#" + index + " pts=" + pts + " " + kind + " " + width + "x" + height + "}";
    }
}
