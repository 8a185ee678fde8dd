package org.videoforge.flink.source.enumerator;

import java.util.List;
import org.videoforge.flink.source.split.VideoSplit;

/** Checkpointed state of the enumerator: the splits not yet handed to a reader. */
public final class VideoEnumeratorState {
    private final List<VideoSplit> pending;

    public VideoEnumeratorState(List<VideoSplit> pending) {
        this.pending = List.copyOf(pending);
    }

    public List<VideoSplit> pending() {
        return pending;
    }
}
