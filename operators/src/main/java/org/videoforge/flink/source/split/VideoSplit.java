package org.videoforge.flink.source.split;

import org.apache.flink.api.connector.source.SourceSplit;
import org.videoforge.flink.core.VideoTask;

/**
 * A unit of decode work: one whole video. A split restored from a checkpoint is decoded from its
 * start again: its output file is written from the start too (a video file cannot be resumed in the
 * middle), so there is no position to keep.
 */
public final class VideoSplit implements SourceSplit {
    private final VideoTask task;

    private VideoSplit(VideoTask task) {
        this.task = task;
    }

    public static VideoSplit of(VideoTask task) {
        return new VideoSplit(task);
    }

    public VideoTask task() {
        return task;
    }

    @Override
    public String splitId() {
        return task.id();
    }

    @Override
    public String toString() {
        return "VideoSplit{" + task + "}";
    }
}
