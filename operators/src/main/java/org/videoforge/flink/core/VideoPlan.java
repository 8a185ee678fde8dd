package org.videoforge.flink.core;

import java.io.Serializable;
import java.util.List;
import org.videoforge.flink.core.VideoTask;

/**
 * One video and the keyframe segments it was split into, or a video that failed before it could be
 * split. Sent to every decode slot at once (one small record per video, so a checkpoint barrier is
 * never queued behind a video's worth of segment records); slot k takes the segments whose index is
 * k modulo the number of slots, and slot 0 takes a failure.
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

    /** The tasks slot {@code slot} of {@code slots} is to do. */
    public List<VideoTask> tasksFor(int slot, int slots) {
        if (segments.isEmpty()) {
            return slot == 0 ? List.of(video) : List.of();
        }
        return segments.stream().filter(s -> s.index() % slots == slot).map(video::forSegment).toList();
    }
}
