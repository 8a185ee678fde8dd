package org.videoforge.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.videoforge.codec.KeyframeIndex;

/**
 * A video cut at every keyframe, as the segment planner cuts it (a segment is the frames with pts
 * in [its keyframe, the next segment's keyframe)); the first segment starts at the beginning.
 */
public record KeyframeSegments(List<Range> ranges) {
    /** One segment: pts range and the frames in it, by index in presentation order. */
    public record Range(int index, long startPts, long endPts, int firstFrame, int frames) {
        public boolean isFirst() {
            return startPts == Long.MIN_VALUE;
        }
    }

    public static KeyframeSegments of(KeyframeIndex index) {
        long[] frames = index.framePts();
        long[] keys = index.keyframePts();
        List<Range> ranges = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            long start = i == 0 ? Long.MIN_VALUE : keys[i];
            long end = i + 1 < keys.length ? keys[i + 1] : Long.MAX_VALUE;
            int first = i == 0 ? 0 : position(frames, keys[i]);
            int last = end == Long.MAX_VALUE ? frames.length : position(frames, end);
            ranges.add(new Range(i, start, end, first, last - first));
        }
        return new KeyframeSegments(ranges);
    }

    private static int position(long[] sorted, long pts) {
        int i = Arrays.binarySearch(sorted, pts);
        if (i < 0) {
            throw new IllegalStateException("keyframe pts " + pts + " is no frame's pts");
        }
        return i;
    }

    /** The first, a middle and the last segment. */
    public List<Range> firstMiddleLast() {
        if (ranges.size() < 3) {
            throw new IllegalStateException("need at least 3 segments, the clip has " + ranges.size());
        }
        return List.of(ranges.get(0), ranges.get(ranges.size() / 2), ranges.get(ranges.size() - 1));
    }
}
