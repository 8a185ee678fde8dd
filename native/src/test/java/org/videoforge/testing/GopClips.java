package org.videoforge.testing;

import java.nio.file.Path;
import java.util.List;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.codec.EncoderSettings.Gop;
import org.videoforge.frame.Rational;

/**
 * The clips segment decoding is checked on: H.264, HEVC 8-bit and HEVC Main10, closed and open
 * GOPs (x264 {@code open-gop}: recovery-point I-frames; x265: CRA pictures with leading RASL
 * pictures that reference the previous GOP), in MP4 and Matroska, with B-frames and a keyframe
 * every {@link #KEYFRAME_INTERVAL} frames, so that segments cut at keyframes start and end inside
 * reordered groups. Made with our own encoder, so they exist on GPU hosts without ffmpeg.
 */
public final class GopClips {
    public static final int KEYFRAME_INTERVAL = 12;
    public static final Rational FPS = new Rational(24, 1);

    /** One clip kind: how to make it, and a name for test reports. */
    public record Kind(String name, String extension, Gop gop, int bitDepth, boolean hevc) {
        public Path write(Path dir, int w, int h, int frames) {
            EncoderSettings.Builder s = !hevc ? SyntheticClips.h264Settings(w, h, FPS)
                    : bitDepth == 10 ? SyntheticClips.hevc10Settings(w, h, FPS) : SyntheticClips.hevc8Settings(w, h, FPS);
            return SyntheticClips.write(dir.resolve(name + "." + extension),
                    s.keyframeInterval(KEYFRAME_INTERVAL).gop(gop).build(), frames);
        }

        @Override
        public String toString() {
            return name + "." + extension;
        }
    }

    private GopClips() {
    }

    /** Every codec, bit depth and GOP type, each in MP4 and Matroska. */
    public static List<Kind> all() {
        return List.of(
                new Kind("h264-closed", "mp4", Gop.CLOSED, 8, false),
                new Kind("h264-open", "mp4", Gop.OPEN, 8, false),
                new Kind("h264-open", "mkv", Gop.OPEN, 8, false),
                new Kind("hevc8-closed", "mkv", Gop.CLOSED, 8, true),
                new Kind("hevc8-open", "mp4", Gop.OPEN, 8, true),
                new Kind("hevc10-closed", "mp4", Gop.CLOSED, 10, true),
                new Kind("hevc10-open", "mkv", Gop.OPEN, 10, true),
                new Kind("hevc10-open", "mp4", Gop.OPEN, 10, true));
    }
}
