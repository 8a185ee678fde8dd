package org.videoforge.flink.encode;

import org.videoforge.flink.core.VideoSegment;
import org.videoforge.flink.core.VideoTask;
import java.util.Objects;

/**
 * A video, or one segment of one, that the Encode stage has finished writing under its temporary
 * name ({@link #getTempPath()}), on its way to {@link #getFinalPath()}; or, with a non-zero
 * {@link #getErrorCode()}, the coded failure of that video. It is what gets published (the CLI) or
 * committed (the segmented jobs: see org.videoforge.flink.commit). A Flink POJO (public no-arg
 * constructor, getters and setters), so no Kryo is involved.
 */
public final class EncodedVideo {
    private String videoId;
    private String tempPath;
    private String finalPath;
    private long frames;
    private int segmentIndex;
    private int segmentCount = 1;
    private int errorCode;
    private String errorMessage;
    private String sourcePath;
    private String videoOutput;
    private long acceptedAtMillis;
    private FrameTimings timings = new FrameTimings();

    public EncodedVideo() {
    }

    public EncodedVideo(String videoId, String tempPath, String finalPath, long frames) {
        this.videoId = videoId;
        this.tempPath = tempPath;
        this.finalPath = finalPath;
        this.videoOutput = finalPath;
        this.frames = frames;
    }

    /** A video (or segment) that failed with a coded error; there is no file. */
    public static EncodedVideo failed(String videoId, int errorCode, String errorMessage) {
        EncodedVideo v = new EncodedVideo();
        v.videoId = videoId;
        v.errorCode = errorCode;
        v.errorMessage = errorMessage;
        return v;
    }

    /**
     * Takes what a result needs from the {@code task} it came from: its segment (if any), source,
     * output and acceptance time. A task that failed at intake has no source and may have no output.
     */
    public void describe(VideoTask task) {
        VideoSegment segment = task.segment();
        if (segment != null) {
            segmentIndex = segment.index();
            segmentCount = segment.count();
        }
        sourcePath = task.source() == null ? null : task.source().path().toString();
        videoOutput = task.output() == null ? null : task.output().toString();
        acceptedAtMillis = task.acceptedAtMillis();
    }

    public boolean succeeded() {
        return errorCode == 0;
    }

    public String getVideoId() {
        return videoId;
    }

    public void setVideoId(String videoId) {
        this.videoId = videoId;
    }

    /** The finished file under its temporary name; null for a failure. */
    public String getTempPath() {
        return tempPath;
    }

    public void setTempPath(String tempPath) {
        this.tempPath = tempPath;
    }

    /** Where the file is published / committed to; null for a failure. */
    public String getFinalPath() {
        return finalPath;
    }

    public void setFinalPath(String finalPath) {
        this.finalPath = finalPath;
    }

    public long getFrames() {
        return frames;
    }

    public void setFrames(long frames) {
        this.frames = frames;
    }

    /** 0-based segment index (0 of 1 for a whole video). */
    public int getSegmentIndex() {
        return segmentIndex;
    }

    public void setSegmentIndex(int segmentIndex) {
        this.segmentIndex = segmentIndex;
    }

    public int getSegmentCount() {
        return segmentCount;
    }

    public void setSegmentCount(int segmentCount) {
        this.segmentCount = segmentCount;
    }

    /** Stable VideoForge error code; 0 for success. */
    public int getErrorCode() {
        return errorCode;
    }

    public void setErrorCode(int errorCode) {
        this.errorCode = errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public void setErrorMessage(String errorMessage) {
        this.errorMessage = errorMessage;
    }

    /** The input video (its audio and subtitles are copied into the assembled output). */
    public String getSourcePath() {
        return sourcePath;
    }

    public void setSourcePath(String sourcePath) {
        this.sourcePath = sourcePath;
    }

    /** The whole video's final output (for a segment: what it will be assembled into). */
    public String getVideoOutput() {
        return videoOutput;
    }

    public void setVideoOutput(String videoOutput) {
        this.videoOutput = videoOutput;
    }

    /** When the video's request was read. */
    public long getAcceptedAtMillis() {
        return acceptedAtMillis;
    }

    public void setAcceptedAtMillis(long acceptedAtMillis) {
        this.acceptedAtMillis = acceptedAtMillis;
    }

    /** Time its frames spent in each stage. */
    public FrameTimings getTimings() {
        return timings;
    }

    public void setTimings(FrameTimings timings) {
        this.timings = timings;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EncodedVideo)) {
            return false;
        }
        EncodedVideo e = (EncodedVideo) o;
        return frames == e.frames && segmentIndex == e.segmentIndex && segmentCount == e.segmentCount
                && errorCode == e.errorCode && acceptedAtMillis == e.acceptedAtMillis
                && Objects.equals(videoId, e.videoId) && Objects.equals(tempPath, e.tempPath)
                && Objects.equals(finalPath, e.finalPath) && Objects.equals(errorMessage, e.errorMessage)
                && Objects.equals(sourcePath, e.sourcePath) && Objects.equals(videoOutput, e.videoOutput)
                && Objects.equals(timings, e.timings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(videoId, segmentIndex, finalPath, frames, errorCode);
    }

    @Override
    public String toString() {
        String what = videoId + (segmentCount > 1 ? " segment " + (segmentIndex + 1) + "/" + segmentCount : "");
        return succeeded() ? "EncodedVideo{" + what + ", " + frames + " frames -> " + finalPath + "}"
                : "EncodedVideo{" + what + " failed E" + errorCode + ": " + errorMessage + "}";
    }
}
