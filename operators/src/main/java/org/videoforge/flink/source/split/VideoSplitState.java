package org.videoforge.flink.source.split;

/** Mutable progress of a split while it is read; turned back into a split at checkpoints. */
public final class VideoSplitState {
    private final VideoSplit split;
    private long framesEmitted;

    public VideoSplitState(VideoSplit split) {
        this.split = split;
        this.framesEmitted = split.framesEmitted();
    }

    public void frameEmitted() {
        framesEmitted++;
    }

    public VideoSplit toSplit() {
        return new VideoSplit(split.task(), framesEmitted);
    }
}
