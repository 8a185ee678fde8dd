package org.videoforge.flink.source.split;

/** A split while it is read: nothing changes until it is finished (see {@link VideoSplit}). */
public final class VideoSplitState {
    private final VideoSplit split;

    public VideoSplitState(VideoSplit split) {
        this.split = split;
    }

    public VideoSplit toSplit() {
        return split;
    }
}
