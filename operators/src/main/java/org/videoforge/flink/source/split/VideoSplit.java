package org.videoforge.flink.source.split;

import org.apache.flink.api.connector.source.SourceSplit;
import org.videoforge.flink.core.VideoTask;

/** A unit of decode work: one whole video (issue-level segments will narrow it to a frame range). */
public final class VideoSplit implements SourceSplit {
    private final VideoTask task;
    private final long framesEmitted;

    public VideoSplit(VideoTask task, long framesEmitted) {
        this.task = task;
        this.framesEmitted = framesEmitted;
    }

    public static VideoSplit of(VideoTask task) {
        return new VideoSplit(task, 0);
    }

    public VideoTask task() {
        return task;
    }

    /** Frames already handed downstream when this split was checkpointed. */
    public long framesEmitted() {
        return framesEmitted;
    }

    @Override
    public String splitId() {
        return task.id();
    }

    @Override
    public String toString() {
        return "VideoSplit{" + task + ", emitted=" + framesEmitted + "}";
    }
}
