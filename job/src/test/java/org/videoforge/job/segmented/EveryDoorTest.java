package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.report.ResultReport;
import org.videoforge.job.testing.CliResult;
import org.videoforge.testing.FfmpegCli;

/**
 * Bad work is refused with the same code whichever door it comes through: the single-chain CLI
 * ({@code videoforge -i -o}) and the segmented jobs' intake (here a {@code batch} manifest, which
 * the Kafka {@code stream} job shares). One planner checks both; this keeps them from drifting.
 */
class EveryDoorTest {
    private static final Pattern CLI_ERROR = Pattern.compile("error E(\\d{4}) ");

    @TempDir
    static Path dir;

    /** One piece of bad work: its input and output, relative to {@link #dir}, and the code it must get. */
    private record Case(String input, String output, ErrorCode expected) {
        String manifestLine() {
            return input + " " + output;
        }

        /** A batch names a result by its input, and by input -> output where the input is named twice. */
        String requestId() {
            boolean once = CASES.stream().filter(c -> c.input.equals(input)).count() == 1;
            return once ? dir.resolve(input).toString() : dir.resolve(input) + " -> " + dir.resolve(output);
        }
    }

    private static final List<Case> CASES = List.of(
            new Case("in/missing.mp4", "out/missing.mp4", ErrorCode.INPUT_NOT_FOUND),
            new Case("in/text.mp4", "out/text.mp4", ErrorCode.INPUT_UNREADABLE),
            new Case("in/a.mp4", "in/a.mp4", ErrorCode.INVALID_ARGUMENT),
            new Case("in/a.mp4", "out/a.xyz", ErrorCode.ENCODER_UNAVAILABLE),
            new Case("in/a.mp4", "no-such-dir/a.mp4", ErrorCode.OUTPUT_WRITE_FAILED));

    @BeforeAll
    static void inputs() throws IOException {
        FfmpegCli.assumeInstalled();
        Files.createDirectories(dir.resolve("in"));
        Files.createDirectories(dir.resolve("out"));
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=48x32:rate=8", "-frames:v", "4", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", dir.resolve("in/a.mp4").toString());
        Files.writeString(dir.resolve("in/text.mp4"), "these are not video frames\n".repeat(50));
    }

    @Test
    void theCliAndTheBatchIntakeRefuseBadWorkWithTheSameCode() throws IOException {
        Map<String, ErrorCode> batch = batch(CASES.stream().map(Case::manifestLine).toList());
        for (Case c : CASES) {
            ErrorCode cli = cli("-i", dir.resolve(c.input).toString(), "-o", dir.resolve(c.output).toString());
            assertEquals(c.expected, cli, "CLI: " + c);
            assertEquals(c.expected, batch.get(c.requestId()), "batch: " + c + " in " + batch);
        }
        assertTrue(Files.exists(dir.resolve("in/a.mp4")), "the input that was also named as output is intact");
    }

    @Test
    void anUnknownModelFlagIsRefusedWithTheSameCodeBeforeAnyWork() throws IOException {
        String model = dir.resolve("no-such-model.onnx").toString();
        Path manifest = Files.write(dir.resolve("model-manifest.txt"), List.of("in/a.mp4 out/m.mp4"));
        ErrorCode single = cli("-i", dir.resolve("in/a.mp4").toString(), "-o", dir.resolve("out/m.mp4").toString(),
                "-m", model);
        // A flag is the whole run's: batch refuses it before any job starts, as the CLI does.
        ErrorCode batch = cli("batch", "--manifest", manifest.toString(), "--staging",
                dir.resolve("staging").toString(), "-m", model);
        assertEquals(ErrorCode.MODEL_NOT_FOUND, single);
        assertEquals(ErrorCode.MODEL_NOT_FOUND, batch);
        assertFalse(Files.exists(dir.resolve("out/m.mp4")));
    }

    private static ErrorCode cli(String... args) {
        CliResult r = CliResult.run(args);
        Matcher m = CLI_ERROR.matcher(r.err);
        assertTrue(m.find(), "a coded error: " + r);
        return ErrorCode.ofNumber(Integer.parseInt(m.group(1)));
    }

    /** Runs a batch of {@code lines} and returns each result's code by its request id. */
    private static Map<String, ErrorCode> batch(List<String> lines) throws IOException {
        Path manifest = Files.createTempFile(dir, "manifest", ".txt");
        Files.write(manifest, lines);
        Path report = Files.createTempDirectory(dir, "report");
        List<String> args = new java.util.ArrayList<>(List.of("batch", "--manifest", manifest.toString(),
                "--output-dir", report.toString(), "--staging", dir.resolve("staging").toString()));
        CliResult.run(args.toArray(String[]::new));
        return ResultReport.read(report.resolve("videoforge-report.jsonl")).stream().collect(Collectors.toMap(
                r -> r.getRequestId().toString(), r -> ErrorCode.ofNumber(r.getErrorCode()), (a, b) -> a));
    }
}
