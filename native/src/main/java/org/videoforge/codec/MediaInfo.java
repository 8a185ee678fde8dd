package org.videoforge.codec;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.videoforge.frame.VideoStreamInfo;

/**
 * What the probe learned about an input: the video stream the pipeline works on and a summary
 * of the streams it copies. Serializable so a Flink job graph can carry it to the task managers.
 */
public final class MediaInfo implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String path; // java.nio.file.Path is not Serializable
    private final String formatName;
    private final int videoStreamIndex;
    private final VideoStreamInfo video;
    private final List<StreamSummary> otherStreams;
    private final RawInputHint rawHint;

    public MediaInfo(Path path, String formatName, int videoStreamIndex, VideoStreamInfo video,
                     List<StreamSummary> otherStreams, RawInputHint rawHint) {
        this.path = path.toAbsolutePath().toString();
        this.formatName = Objects.requireNonNull(formatName);
        this.videoStreamIndex = videoStreamIndex;
        this.video = Objects.requireNonNull(video);
        this.otherStreams = List.copyOf(otherStreams);
        this.rawHint = rawHint;
    }

    public Path path() {
        return Path.of(path);
    }

    /** The demuxer's name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "h264". */
    public String formatName() {
        return formatName;
    }

    public int videoStreamIndex() {
        return videoStreamIndex;
    }

    public VideoStreamInfo video() {
        return video;
    }

    /** Audio, subtitle and other non-video streams, in container order. */
    public List<StreamSummary> otherStreams() {
        return otherStreams;
    }

    /** The hint the input was probed with, needed to reopen a raw bitstream; null for containers. */
    public RawInputHint rawHint() {
        return rawHint;
    }

    /** Duration of the first audio stream in seconds, or -1 when there is none or it is unknown. */
    public double audioDurationSeconds() {
        for (StreamSummary s : otherStreams) {
            if (s.isAudio()) {
                return s.durationSeconds();
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return path + " [" + formatName + "] video#" + videoStreamIndex + " " + video + " other=" + otherStreams;
    }
}
