package org.videoforge.flink.source.enumerator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.videoforge.flink.source.split.VideoSplit;

/**
 * Hands videos to readers one at a time, on request, so that a free slot pulls the next video
 * (the natural load balancing of a fleet run). Bounded: when none are left, readers are told so.
 */
public final class VideoSplitEnumerator implements SplitEnumerator<VideoSplit, VideoEnumeratorState> {
    private final SplitEnumeratorContext<VideoSplit> context;
    private final ArrayDeque<VideoSplit> pending;

    public VideoSplitEnumerator(SplitEnumeratorContext<VideoSplit> context, Collection<VideoSplit> splits) {
        this.context = context;
        this.pending = new ArrayDeque<>(splits);
    }

    @Override
    public void start() {
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        VideoSplit next = pending.poll();
        if (next != null) {
            context.assignSplit(next, subtaskId);
        } else {
            context.signalNoMoreSplits(subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<VideoSplit> splits, int subtaskId) {
        // A failed reader's videos go back to the front, to be redone first.
        for (int i = splits.size() - 1; i >= 0; i--) {
            pending.addFirst(splits.get(i));
        }
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for work themselves (handleSplitRequest).
    }

    @Override
    public VideoEnumeratorState snapshotState(long checkpointId) {
        return new VideoEnumeratorState(new ArrayList<>(pending));
    }

    @Override
    public void close() {
    }
}
