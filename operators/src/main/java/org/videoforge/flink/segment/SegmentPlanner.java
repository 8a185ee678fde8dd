package org.videoforge.flink.segment;

import org.videoforge.flink.core.VideoSegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.videoforge.frame.Rational;

/**
 * Splits a video into keyframe-aligned segments of about a target length: a new segment starts at
 * the first keyframe at least that far from the current segment's start, so every segment decodes
 * on its own and the segments together hold every frame exactly once.
 */
public final class SegmentPlanner {
    /** Segment length when neither the job nor the request names one. */
    public static final double DEFAULT_SEGMENT_SECONDS = 10.0;

    private SegmentPlanner() {
    }

    /**
     * @param framePts    presentation timestamps of all frames, ascending (empty: no timestamps,
     *                    the video is one segment)
     * @param keyframePts those of the keyframes, ascending
     * @param timeBase    the stream's time base
     * @param dir         staging directory of the video's segment files
     */
    public static List<VideoSegment> plan(long[] framePts, long[] keyframePts, Rational timeBase,
                                          double targetSeconds, Path dir) {
        if (!(targetSeconds > 0)) {
            throw new IllegalArgumentException("segment length must be positive: " + targetSeconds);
        }
        if (framePts.length == 0) {
            return List.of(new VideoSegment(0, 1, Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, fileOf(dir, 0)));
        }
        List<Long> starts = new ArrayList<>();
        long start = framePts[0];
        starts.add(start);
        for (long k : keyframePts) {
            if (k > start && seconds(k - start, timeBase) >= targetSeconds) {
                starts.add(k);
                start = k;
            }
        }
        List<VideoSegment> segments = new ArrayList<>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            long from = starts.get(i);
            long to = i + 1 < starts.size() ? starts.get(i + 1) : Long.MAX_VALUE;
            int first = lowerBound(framePts, from);
            int end = to == Long.MAX_VALUE ? framePts.length : lowerBound(framePts, to);
            segments.add(new VideoSegment(i, starts.size(), i == 0 ? Long.MIN_VALUE : from, to, end - first, first,
                    fileOf(dir, i)));
        }
        return segments;
    }

    private static double seconds(long ticks, Rational timeBase) {
        return ticks * (double) timeBase.num() / timeBase.den();
    }

    private static int lowerBound(long[] sorted, long value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == value) {
            i--;
        }
        return i;
    }

    private static Path fileOf(Path dir, int index) {
        return dir.resolve(String.format("segment-%05d.mp4", index));
    }
}
