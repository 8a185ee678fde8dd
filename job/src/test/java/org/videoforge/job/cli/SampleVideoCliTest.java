package org.videoforge.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.inference.ModelRef;
import org.videoforge.job.testing.CliResult;
import org.videoforge.testing.FfmpegCli;

/** The README's first command, checked by an independent reader (Debian's ffprobe). */
class SampleVideoCliTest {
    static final Path SAMPLE = Paths.get("..", "samples", "sample-640x360.mp4");

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        FfmpegCli.assumeInstalled();
    }

    @Test
    void bundledSampleIsUpscaledWithAudioAndSubtitlesIntact() throws IOException {
        Path out = dir.resolve("sample-x2.mp4");
        CliResult r = CliResult.run("-i", SAMPLE.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode, r.toString());

        JsonNode in = FfmpegCli.probe(SAMPLE);
        JsonNode probe = FfmpegCli.probe(out);
        JsonNode video = FfmpegCli.stream(probe, "video");
        assertNotNull(video);
        assertEquals("h264", video.path("codec_name").asText());
        assertEquals(1280, video.path("width").asInt());
        assertEquals(720, video.path("height").asInt());
        assertEquals("bt709", video.path("color_space").asText(), "output tagged like the input");
        assertEquals(FfmpegCli.countFrames(SAMPLE), FfmpegCli.countFrames(out), "exact frame count");

        JsonNode audioIn = FfmpegCli.stream(in, "audio");
        JsonNode audioOut = FfmpegCli.stream(probe, "audio");
        assertNotNull(audioOut, "audio stream copied");
        assertEquals(audioIn.path("codec_name").asText(), audioOut.path("codec_name").asText());
        assertEquals(audioIn.path("duration").asDouble(), audioOut.path("duration").asDouble(), 0.05);
        assertEquals(video.path("duration").asDouble(), audioOut.path("duration").asDouble(), 0.1,
                "audio lasts as long as the video");
        assertNotNull(FfmpegCli.stream(probe, "subtitle"), "subtitle stream copied");

        // without -m and without a GPU: the CPU default, and the start-up line says why
        assertTrue(r.out.contains("model        " + ModelRef.DEFAULT_BUNDLED + ": "), r.out);
        assertTrue(r.out.contains("(the CPU default, for speed"), r.out);
        assertTrue(r.out.contains("throughput"), "telemetry summary printed");
        assertTrue(r.out.matches("(?s).*steady\\s+(?!0\\.00 )[0-9]+\\.[0-9]{2} fps.*"), "a positive steady-state rate: " + r.out);
        assertTrue(r.out.contains("inference"), "per-stage latency printed");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left beside the output");
        }
    }
}
