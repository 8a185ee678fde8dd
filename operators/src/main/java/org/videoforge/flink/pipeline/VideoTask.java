package org.videoforge.flink.pipeline;

import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.videoforge.codec.MediaInfo;
import org.videoforge.frame.VideoCodec;

/**
 * One video to upscale: its probed input, where the result goes and how it is encoded. Travels
 * inside the source split and is referenced by every envelope of that video.
 */
public final class VideoTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final MediaInfo source;
    private final String output;
    private final VideoCodec outputCodec;

    public VideoTask(String id, MediaInfo source, Path output, VideoCodec outputCodec) {
        this.id = id;
        this.source = source;
        this.output = output.toAbsolutePath().toString();
        this.outputCodec = outputCodec;
    }

    public String id() {
        return id;
    }

    public MediaInfo source() {
        return source;
    }

    /** The final output path; written under a temporary name and renamed on success. */
    public Path output() {
        return Paths.get(output);
    }

    public VideoCodec outputCodec() {
        return outputCodec;
    }

    @Override
    public String toString() {
        return id + " (" + source.path() + " -> " + output + ")";
    }
}
