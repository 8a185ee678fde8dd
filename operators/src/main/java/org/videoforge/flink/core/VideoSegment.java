package org.videoforge.flink.core;

import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * One keyframe-aligned piece of a video: the frames with presentation timestamps in
 * [{@link #startPts()}, {@link #endPts()}), the unit of parallel work and of progress. Its encoded
 * file is staged beside {@link #path()} and renamed to it when the checkpoint covering it completes.
 */
public final class VideoSegment implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final int count;
    private final long startPts;
    private final long endPts;
    private final long frames;
    private final long firstFrame;
    private final String path;

    public VideoSegment(int index, int count, long startPts, long endPts, long frames, long firstFrame, Path path) {
        this.index = index;
        this.count = count;
        this.startPts = startPts;
        this.endPts = endPts;
        this.frames = frames;
        this.firstFrame = firstFrame;
        this.path = path.toAbsolutePath().toString();
    }

    /** 0-based position in its video. */
    public int index() {
        return index;
    }

    /** Segments the video was split into. */
    public int count() {
        return count;
    }

    /** First frame's pts (a keyframe), in the source stream's time base. */
    public long startPts() {
        return startPts;
    }

    /** The next segment's first pts (exclusive); Long.MAX_VALUE for the last segment. */
    public long endPts() {
        return endPts;
    }

    /** Frames the segment holds, counted from the container's packets; -1 when unknown. */
    public long frames() {
        return frames;
    }

    /** Index of its first frame in the whole video. */
    public long firstFrame() {
        return firstFrame;
    }

    /** Where the committed encoded segment lives. */
    public Path path() {
        return Paths.get(path);
    }

    @Override
    public String toString() {
        return "segment " + (index + 1) + "/" + count + " [" + startPts + ", "
                + (endPts == Long.MAX_VALUE ? "end" : Long.toString(endPts)) + ") " + frames + " frames";
    }
}
