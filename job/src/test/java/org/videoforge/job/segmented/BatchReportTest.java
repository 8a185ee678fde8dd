package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.report.ResultReport;
import org.videoforge.job.cli.ExitCodes;
import org.videoforge.job.testing.CliResult;
import org.videoforge.testing.FfmpegCli;

/**
 * A batch run's report names each video by its input and holds what UpscaleResult.avsc documents;
 * a run removes the staging a killed run left behind.
 */
class BatchReportTest {
    private static final int FRAMES = 12;

    @TempDir
    static Path dir;

    private static Path clip(String name, String... extra) throws IOException {
        Path p = dir.resolve("in").resolve(name);
        Files.createDirectories(p.getParent());
        List<String> args = new java.util.ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=48x32:rate=8",
                "-frames:v", String.valueOf(FRAMES), "-c:v", "libx264", "-g", "4", "-pix_fmt", "yuv420p"));
        args.addAll(Arrays.asList(extra));
        args.add(p.toString());
        FfmpegCli.ffmpeg(args.toArray(String[]::new));
        return p;
    }

    @BeforeAll
    static void clips() throws IOException {
        FfmpegCli.assumeInstalled();
        clip("a.mp4");
        clip("b.mp4");
        Path whole = clip("whole.mp4", "-movflags", "+faststart");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(dir.resolve("in/damaged.mp4"), Arrays.copyOf(bytes, bytes.length * 6 / 10));
    }

    @Test
    void eachResultIsNamedByItsInputAndMatchesTheSchemaDocs() throws IOException {
        Path staging = Files.createDirectories(dir.resolve("staging"));
        // What a killed run leaves: its directory, and its lock file that no process holds.
        Files.createDirectories(staging.resolve("batch-killed/video-1234"));
        Files.write(staging.resolve("batch-killed/video-1234/segment-00000.mp4"), new byte[] {1});
        Files.write(staging.resolve("batch-killed.lock"), new byte[0]);
        Files.createDirectories(staging.resolve("some-stream-request"));

        Path manifest = dir.resolve("manifest.txt");
        Files.write(manifest, List.of("in/a.mp4 out/a-once.mp4", "in/a.mp4 out/a-twice.mp4", "in/b.mp4",
                "in/damaged.mp4"));
        Path out = Files.createDirectories(dir.resolve("out"));
        CliResult r = CliResult.run("batch", "--manifest", manifest.toString(), "--output-dir", out.toString(),
                "--staging", staging.toString(), "--segment-seconds", "0.5", "--encoder-preset", "ultrafast");
        assertEquals(ExitCodes.ENGINE_ERROR, r.exitCode, "the damaged video failed: " + r);

        Map<String, UpscaleResult> byId = ResultReport.read(out.resolve("videoforge-report.jsonl")).stream()
                .collect(Collectors.toMap(x -> x.getRequestId().toString(), Function.identity()));
        Path a = dir.resolve("in/a.mp4");
        String once = a + " -> " + out.resolve("a-once.mp4");
        String twice = a + " -> " + out.resolve("a-twice.mp4");
        String b = dir.resolve("in/b.mp4").toString();
        String damaged = dir.resolve("in/damaged.mp4").toString();
        assertEquals(java.util.Set.of(once, twice, b, damaged), byId.keySet(),
                "an input names its result; input -> output where a run upscales it twice");
        UpscaleResultDocs.assertSucceeded(byId.get(once), once, out.resolve("a-once.mp4"), FRAMES, 3);
        UpscaleResultDocs.assertSucceeded(byId.get(twice), twice, out.resolve("a-twice.mp4"), FRAMES, 3);
        UpscaleResultDocs.assertSucceeded(byId.get(b), b, out.resolve("b-upscaled.mp4"), FRAMES, 3);
        UpscaleResultDocs.assertFailed(byId.get(damaged), damaged, ErrorCode.CORRUPT_STREAM);
        assertEquals(FRAMES, FfmpegCli.countFrames(out.resolve("b-upscaled.mp4")));

        try (Stream<Path> left = Files.list(staging)) {
            assertEquals(List.of(staging.resolve("some-stream-request")), left.toList(),
                    "the killed run's staging and this run's own are gone; other jobs' staging stays");
        }
    }

    @Test
    void twoInputsWritingOneOutputAreRefusedBeforeAnyWork() throws IOException {
        Path manifest = dir.resolve("clash.txt");
        Files.write(manifest, List.of("in/a.mp4 out2/same.mp4", "in/b.mp4 out2/same.mp4"));
        CliResult r = CliResult.run("batch", "--manifest", manifest.toString(), "--staging",
                dir.resolve("staging-clash").toString());
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertTrue(r.err.contains("clash.txt:1 and clash.txt:2 both write"), r.err);
        assertFalse(Files.exists(dir.resolve("staging-clash")), "nothing ran");
    }
}
