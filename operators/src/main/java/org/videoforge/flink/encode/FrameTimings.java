package org.videoforge.flink.encode;

import java.util.Objects;

/**
 * Time a video's frames spent in each stage, summed over its frames (nanoseconds), plus the wall
 * time from its first frame's decode to its file being finished. A Flink POJO.
 */
public final class FrameTimings {
    private long decodeNanos;
    private long preprocessNanos;
    private long inferenceNanos;
    private long encodeNanos;
    private long wallNanos;

    public FrameTimings() {
    }

    public FrameTimings(long decodeNanos, long preprocessNanos, long inferenceNanos, long encodeNanos, long wallNanos) {
        this.decodeNanos = decodeNanos;
        this.preprocessNanos = preprocessNanos;
        this.inferenceNanos = inferenceNanos;
        this.encodeNanos = encodeNanos;
        this.wallNanos = wallNanos;
    }

    /** Sum of both, for the segments of one video. */
    public FrameTimings plus(FrameTimings o) {
        return new FrameTimings(decodeNanos + o.decodeNanos, preprocessNanos + o.preprocessNanos,
                inferenceNanos + o.inferenceNanos, encodeNanos + o.encodeNanos, wallNanos + o.wallNanos);
    }

    public long getDecodeNanos() {
        return decodeNanos;
    }

    public void setDecodeNanos(long v) {
        decodeNanos = v;
    }

    public long getPreprocessNanos() {
        return preprocessNanos;
    }

    public void setPreprocessNanos(long v) {
        preprocessNanos = v;
    }

    public long getInferenceNanos() {
        return inferenceNanos;
    }

    public void setInferenceNanos(long v) {
        inferenceNanos = v;
    }

    public long getEncodeNanos() {
        return encodeNanos;
    }

    public void setEncodeNanos(long v) {
        encodeNanos = v;
    }

    public long getWallNanos() {
        return wallNanos;
    }

    public void setWallNanos(long v) {
        wallNanos = v;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FrameTimings)) {
            return false;
        }
        FrameTimings t = (FrameTimings) o;
        return decodeNanos == t.decodeNanos && preprocessNanos == t.preprocessNanos
                && inferenceNanos == t.inferenceNanos && encodeNanos == t.encodeNanos && wallNanos == t.wallNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(decodeNanos, preprocessNanos, inferenceNanos, encodeNanos, wallNanos);
    }
}
