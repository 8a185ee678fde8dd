package org.videoforge.codec;

import org.videoforge.testing.FfmpegCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small test inputs made with Debian's ffmpeg (160x90 unless said otherwise, so that tests stay fast). */
final class TestVideos {
    static final String SIZE = "160x90";
    static final int WIDTH = 160;
    static final int HEIGHT = 90;

    private TestVideos() {
    }

    /** H.264 4:2:0 at 24 fps for {@code seconds}, with {@code extra} output options (tags, flags...). */
    static Path h264(Path dir, String name, double seconds, String... extra) {
        return video(dir, name, SIZE, seconds, List.of("-c:v", "libx264", "-pix_fmt", "yuv420p"), extra);
    }

    /** 10-bit HEVC, BT.2020 / PQ tagged. */
    static Path hevc10(Path dir, String name, double seconds) {
        return video(dir, name, SIZE, seconds, List.of("-c:v", "libx265", "-pix_fmt", "yuv420p10le",
                "-x265-params", "log-level=error", "-colorspace", "bt2020nc", "-color_primaries", "bt2020",
                "-color_trc", "smpte2084"));
    }

    /** H.264 + 2 s of AAC sine + two mov_text subtitle cues, BT.709 tagged, in MP4. */
    static Path withAudioAndSubtitles(Path dir, String name, String... extra) {
        Path srt = write(dir.resolve(name + ".srt"), "1\n00:00:00,500 --> 00:00:01,200\nHello\n\n"
                + "2\n00:00:01,300 --> 00:00:01,900\nWorld\n");
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of(
                "-f", "lavfi", "-i", "testsrc2=size=" + SIZE + ":rate=24:duration=2",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
                "-f", "srt", "-i", srt.toString(),
                "-map", "0:v", "-map", "1:a", "-map", "2:s",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-c:s", "mov_text",
                "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv"));
        args.addAll(List.of(extra));
        args.add(out.toString());
        FfmpegCli.ffmpeg(args.toArray(String[]::new));
        return out;
    }

    /** Variable frame rate: 24 frames at 1/24 s, then 12 at 1/12 s (plus AAC audio). */
    static Path vfr(Path dir, String name) {
        Path out = dir.resolve(name);
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + SIZE + ":rate=24",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "2", "-vf", "setpts='(N+if(gte(N,24),N-24,0))/24/TB'", "-fps_mode", "vfr",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", out.toString());
        return out;
    }

    static Path video(Path dir, String name, String size, double seconds, List<String> codecArgs, String... extra) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
                "testsrc2=size=" + size + ":rate=24:duration=" + seconds));
        args.addAll(codecArgs);
        args.addAll(List.of(extra));
        args.add(out.toString());
        FfmpegCli.ffmpeg(args.toArray(String[]::new));
        return out;
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
