package org.videoforge.codec;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.videoforge.frame.VideoCodec;

/**
 * What a raw Annex B elementary stream (.h264, .hevc, ...) cannot say about itself reliably: the
 * codec, which picks the demuxer, and the frame size, used when the stream's headers are not
 * found during probing.
 */
public record RawInputHint(VideoCodec codec, int width, int height) implements Serializable {

    public RawInputHint {
        Objects.requireNonNull(codec, "codec");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("raw input geometry must be positive: " + width + "x" + height);
        }
    }

    /** True for the extensions of raw H.264 / HEVC bitstreams, which have no container to probe. */
    public static boolean isRawBitstreamPath(Path path) {
        return rawCodecOf(path) != null;
    }

    /** The codec a raw bitstream's extension names, or null when the path is not a raw bitstream. */
    static VideoCodec rawCodecOf(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return null;
        }
        String s = name.toString().toLowerCase(Locale.ROOT);
        int dot = s.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        switch (s.substring(dot + 1)) {
            case "h264":
            case "264":
            case "avc":
                return VideoCodec.H264;
            case "h265":
            case "265":
            case "hevc":
                return VideoCodec.HEVC;
            default:
                return null;
        }
    }
}
