package org.videoforge.flink.core;

import java.io.Serializable;
import java.util.List;

/**
 * One video and the keyframe segments it was split into, or a video that failed before it could be
 * split. One small record per video travels from the intake to the decode stage, which hands it to
 * the segment dispatcher: the segments go, one at a time, to whichever slot asks for work next.
 */
public final class VideoPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final VideoTask video;
    private final List<VideoSegment> segments;

    private VideoPlan(VideoTask video, List<VideoSegment> segments) {
        this.video = video;
        this.segments = List.copyOf(segments);
    }

    public static VideoPlan of(VideoTask video, List<VideoSegment> segments) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a planned video has at least one segment");
        }
        return new VideoPlan(video, segments);
    }

    /** A video that failed before it was split; {@code failed.failure()} says why. */
    public static VideoPlan failed(VideoTask failed) {
        return new VideoPlan(failed, List.of());
    }

    public VideoTask video() {
        return video;
    }

    public List<VideoSegment> segments() {
        return segments;
    }

    public boolean isFailed() {
        return segments.isEmpty();
    }

    /**
     * What identifies the plan when the same request is planned twice (read again from Kafka after
     * a restore, or offered again by a restored slot): its id and the record it came from.
     */
    public String key() {
        return video.id() + "@" + video.origin();
    }

    @Override
    public String toString() {
        return video + (isFailed() ? "" : ": " + segments.size() + " segment(s)");
    }
}
