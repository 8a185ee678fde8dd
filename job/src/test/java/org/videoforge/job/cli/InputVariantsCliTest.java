package org.videoforge.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.job.testing.CliResult;
import org.videoforge.testing.FfmpegCli;

/** Inputs beyond the 8-bit MP4 default: raw Annex B, 10-bit HEVC, FP16 tensors, another container. */
class InputVariantsCliTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        FfmpegCli.assumeInstalled();
    }

    @Test
    void rawAnnexBInputWithGeometry() {
        Path raw = dir.resolve("in.264");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25:duration=0.4", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", "-f", "h264", raw.toString());
        Path out = dir.resolve("raw-out.mp4");
        CliResult r = CliResult.run("-i", raw.toString(), "--codec", "h264", "--width", "96", "--height", "64",
                "-o", out.toString(), "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        JsonNode v = FfmpegCli.stream(FfmpegCli.probe(out), "video");
        assertEquals(192, v.path("width").asInt());
        assertEquals(128, v.path("height").asInt());
        assertEquals(10, FfmpegCli.countFrames(out));
    }

    @Test
    void tenBitHevcStaysTenBit() {
        Path in = dir.resolve("10bit.mkv");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=10:duration=0.4", "-c:v", "libx265",
                "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le", "-colorspace", "bt2020nc",
                "-color_primaries", "bt2020", "-color_trc", "smpte2084", in.toString());
        Path out = dir.resolve("10bit-out.mkv");
        CliResult r = CliResult.run("-i", in.toString(), "-o", out.toString(), "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        JsonNode v = FfmpegCli.stream(FfmpegCli.probe(out), "video");
        assertEquals("hevc", v.path("codec_name").asText());
        assertEquals("yuv420p10le", v.path("pix_fmt").asText());
        assertEquals("bt2020nc", v.path("color_space").asText());
        assertEquals("smpte2084", v.path("color_transfer").asText());
        assertEquals(4, FfmpegCli.countFrames(out));
    }

    @Test
    void fp16TensorsWithTheBundledFp16ModelAndHevcOutput() {
        Path in = dir.resolve("in.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=10:duration=0.3", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", in.toString());
        Path out = dir.resolve("fp16.mov");
        CliResult r = CliResult.run("-i", in.toString(), "-o", out.toString(), "-p", "fp16", "-m", "esrgan-slim-x4",
                "--output-codec", "hevc", "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        JsonNode v = FfmpegCli.stream(FfmpegCli.probe(out), "video");
        assertEquals("hevc", v.path("codec_name").asText());
        assertEquals(384, v.path("width").asInt());
        assertEquals(256, v.path("height").asInt());
        assertEquals(3, FfmpegCli.countFrames(out));
    }
}
