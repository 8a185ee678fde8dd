package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.contract.Status;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.flink.report.ResultReport;
import org.videoforge.job.cli.ExitCodes;
import org.videoforge.job.testing.CliResult;
import org.videoforge.testing.FfmpegCli;

/**
 * {@code videoforge batch} on the embedded default: a manifest of many small videos, one of them
 * damaged, runs as one bounded job and ends with the summary and a report of every video.
 */
class BatchCommandTest {
    private static final int VIDEOS = 8;
    private static final int FRAMES = 12;

    @TempDir
    static Path dir;

    @BeforeAll
    static void clips() throws IOException {
        FfmpegCli.assumeInstalled();
        Path in = Files.createDirectories(dir.resolve("in"));
        for (int i = 0; i < VIDEOS; i++) {
            // Keyframes every 4 frames at 8 fps: 3 half-second segments each.
            FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=48x32:rate=8", "-frames:v", String.valueOf(FRAMES),
                    "-c:v", "libx264", "-g", "4", "-pix_fmt", "yuv420p", in.resolve("clip" + i + ".mp4").toString());
        }
        // Index at the front, then cut: the container opens, the video data ends early.
        Path whole = dir.resolve("whole.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=48x32:rate=8", "-frames:v", String.valueOf(FRAMES),
                "-c:v", "libx264", "-g", "4", "-pix_fmt", "yuv420p", "-movflags", "+faststart", whole.toString());
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(in.resolve("damaged.mp4"), java.util.Arrays.copyOf(bytes, bytes.length * 6 / 10));
    }

    @Test
    void aManifestOfManyVideosEndsWithTheSummary() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        List<String> lines = new ArrayList<>(List.of("# the backlog"));
        for (int i = 0; i < VIDEOS; i++) {
            lines.add("in/clip" + i + ".mp4");
        }
        lines.add("in/damaged.mp4 out/damaged-x2.mkv");
        Path manifest = dir.resolve("manifest.txt");
        Files.write(manifest, lines);

        CliResult r = CliResult.run("batch", "--manifest", manifest.toString(), "--output-dir", out.toString(),
                "--staging", dir.resolve("staging").toString(), "--segment-seconds", "0.5", "--parallelism", "2",
                "--encoder-preset", "ultrafast");

        assertEquals(ExitCodes.ENGINE_ERROR, r.exitCode, "one video failed: " + r);
        assertTrue(r.out.contains("videos       " + (VIDEOS + 1) + " requested, " + VIDEOS + " done, 1 failed"), r.out);
        assertTrue(r.out.contains("failed       E1005 CORRUPT_STREAM x1"), r.out);
        assertTrue(r.out.contains("frames       " + VIDEOS * FRAMES + " "), r.out);
        for (int i = 0; i < VIDEOS; i++) {
            Path video = out.resolve("clip" + i + "-upscaled.mp4");
            assertEquals(FRAMES, FfmpegCli.countFrames(video), video.toString());
        }
        assertFalse(Files.exists(out.resolve("damaged-x2.mkv")), "a failed video leaves no output");

        List<UpscaleResult> report = ResultReport.read(out.resolve("videoforge-report.jsonl"));
        assertEquals(VIDEOS + 1, report.size());
        assertEquals(VIDEOS, report.stream().filter(x -> x.getStatus() == Status.SUCCEEDED)
                .filter(x -> x.getSegments() == 3).count(), "each video in 3 segments");
        try (Stream<Path> left = Files.list(dir.resolve("staging"))) {
            assertEquals(List.of(), left.toList(), "the run's staging directory is gone");
        }
    }

    @Test
    void anUnknownEncoderPresetIsAnInvalidArgument() {
        CliResult r = CliResult.run("batch", "--input-dir", dir.resolve("in").toString(), "--output-dir",
                dir.resolve("unused").toString(), "--staging", dir.resolve("staging-unused").toString(),
                "--encoder-preset", "bogus");
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertTrue(r.err.contains("E1000 INVALID_ARGUMENT") && r.err.contains("bogus"), r.toString());
        assertFalse(Files.exists(dir.resolve("unused").resolve("clip0-upscaled.mp4")), "nothing ran");
    }
}
