package org.videoforge.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.job.testing.CliResult;
import org.videoforge.testing.FfmpegCli;

/** Variable-frame-rate input keeps every frame's timestamp, so audio stays in sync. */
class VfrSyncCliTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        FfmpegCli.assumeInstalled();
    }

    @Test
    void perFrameTimestampsArePreserved() {
        Path vfr = dir.resolve("vfr.mkv");
        // One second at 10 fps, then one at 25 fps (VFR), with 2 s of audio.
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=10:duration=1",
                "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25:duration=1",
                "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=2",
                "-filter_complex", "[0:v]settb=1/1000[a];[1:v]settb=1/1000[b];[a][b]concat=n=2:v=1[v]",
                "-map", "[v]", "-map", "2:a", "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                "-c:a", "aac", vfr.toString());
        List<Double> in = FfmpegCli.framePtsSeconds(vfr);
        assertTrue(in.size() > 10, "test clip has frames");
        double firstGap = in.get(1) - in.get(0);
        double lastGap = in.get(in.size() - 1) - in.get(in.size() - 2);
        assertTrue(Math.abs(firstGap - lastGap) > 0.05, "input is really VFR: " + in);

        Path out = dir.resolve("vfr-out.mkv");
        CliResult r = CliResult.run("-i", vfr.toString(), "-o", out.toString(), "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        List<Double> got = FfmpegCli.framePtsSeconds(out);
        assertEquals(in.size(), got.size(), "every frame kept");
        for (int i = 0; i < in.size(); i++) {
            assertEquals(in.get(i), got.get(i), 0.0015, "pts of frame " + i);
        }
        JsonNode audioIn = FfmpegCli.stream(FfmpegCli.probe(vfr), "audio");
        JsonNode audioOut = FfmpegCli.stream(FfmpegCli.probe(out), "audio");
        assertNotNull(audioOut);
        JsonNode fmtIn = FfmpegCli.probe(vfr).path("format");
        JsonNode fmtOut = FfmpegCli.probe(out).path("format");
        assertEquals(fmtIn.path("duration").asDouble(), fmtOut.path("duration").asDouble(), 0.06);
        assertEquals(audioIn.path("codec_name").asText(), audioOut.path("codec_name").asText());
    }
}
