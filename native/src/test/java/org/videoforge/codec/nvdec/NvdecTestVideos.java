package org.videoforge.codec.nvdec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.videoforge.testing.FfmpegCli;

/**
 * Test inputs made with Debian's ffmpeg. 320x180 by default: above HEVC's NVDEC minimum of
 * 144x144, and not a multiple of 16, so the coded size (320x192 for H.264) differs from the
 * display size and the crop is exercised.
 */
final class NvdecTestVideos {
    static final String SIZE = "320x180";
    static final int WIDTH = 320;
    static final int HEIGHT = 180;

    private NvdecTestVideos() {
    }

    /** 8-bit H.264 at 24 fps with up to 3 B-frames (decode order differs from display order). */
    static Path h264(Path dir, String name, String size, double seconds, String... extra) {
        List<String> codec = new ArrayList<>(List.of("-c:v", "libx264", "-pix_fmt", "yuv420p", "-bf", "3", "-g", "24"));
        codec.addAll(List.of(extra));
        return video(dir, name, size, seconds, codec);
    }

    /** 10-bit HEVC (x265 uses B-frames by default). */
    static Path hevc10(Path dir, String name, String size, double seconds) {
        return video(dir, name, size, seconds, List.of("-c:v", "libx265", "-pix_fmt", "yuv420p10le",
                "-x265-params", "log-level=error"));
    }

    /** 8-bit HEVC. */
    static Path hevc8(Path dir, String name, String size, double seconds) {
        return video(dir, name, size, seconds, List.of("-c:v", "libx265", "-pix_fmt", "yuv420p",
                "-x265-params", "log-level=error"));
    }

    static Path video(Path dir, String name, String size, double seconds, List<String> codecArgs) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
                "testsrc2=size=" + size + ":rate=24:duration=" + seconds));
        args.addAll(codecArgs);
        args.add(out.toString());
        FfmpegCli.ffmpeg(args.toArray(String[]::new));
        return out;
    }
}
