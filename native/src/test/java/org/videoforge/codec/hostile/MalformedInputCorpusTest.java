package org.videoforge.codec.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.ErrorCode;
import org.videoforge.testing.FfmpegCli;

/**
 * Every input of the generated corpus ends in a correct output or a coded error, through the
 * real native path in a child JVM: never a JVM crash, never a hang (each case has a time bound),
 * and after every case, failures included, the pool has no lease out, no FFmpeg context is open
 * and no temporary file is left.
 */
class MalformedInputCorpusTest {
    /** Generous for a 64x48 clip on 2 loaded cores; the slowest case (the 8200x4400 probe) takes about 1 s. */
    private static final Duration PER_CASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void everyCaseIsAnOutputOrACodedError() throws IOException {
        FfmpegCli.assumeInstalled();
        Path corpusDir = Files.createDirectory(dir.resolve("corpus"));
        Path outDir = Files.createDirectory(dir.resolve("out"));
        List<CorpusCase> cases = MalformedCorpus.build(corpusDir);
        assertTrue(cases.size() >= 200, "only " + cases.size() + " cases");

        ForkedCaseRunner runner = new ForkedCaseRunner(List.of(), PER_CASE, MalformedCorpus.POOL_LIMIT,
                Duration.ofSeconds(20));
        Map<String, CaseOutcome> results = runner.run(cases, dir, outDir);

        List<String> failures = new ArrayList<>();
        int outputs = 0;
        int errors = 0;
        for (CorpusCase c : cases) {
            CaseOutcome o = results.get(c.name());
            String problem = judge(c, o);
            if (problem != null) {
                failures.add(c.name() + ": " + problem + " -- " + o);
            } else if (o.kind().equals("OK")) {
                outputs++;
            } else {
                errors++;
            }
        }
        System.out.printf("corpus: %d cases, %d outputs, %d coded errors, %d child JVMs%n", cases.size(), outputs,
                errors, runner.children());
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n"
                + String.join("\n", failures));
        assertEquals(1, runner.children(), "no case crashed or hung the child");
    }

    /** Null when the outcome is acceptable for the case, else what is wrong. */
    private static String judge(CorpusCase c, CaseOutcome o) {
        if (o == null) {
            return "no outcome";
        }
        switch (o.kind()) {
            case "CRASH", "HANG", "UNCODED" -> {
                return o.kind();
            }
            default -> {
            }
        }
        if (!o.leftNothing()) {
            return "left leases, handles or a temporary behind";
        }
        if (o.kind().equals("ERROR")) {
            ErrorCode code = ErrorCode.ofNumber(o.code());
            return c.allowedErrors().contains(code) ? null : "unexpected " + code;
        }
        if (!c.outputAllowed()) {
            return "an output where an error was expected";
        }
        if (c.exactFrames() >= 0 && o.frames() != c.exactFrames()) {
            return "wrote " + o.frames() + " frames, the input has " + c.exactFrames();
        }
        return checkOutput(c, o);
    }

    /** Debian's ffprobe reads the output: twice the input's size, every written frame there. */
    private static String checkOutput(CorpusCase c, CaseOutcome o) {
        JsonNode video = FfmpegCli.stream(FfmpegCli.probeCountingFrames(o.output()), "video");
        if (video == null) {
            return "ffprobe finds no video stream in the output";
        }
        long frames = video.path("nb_read_frames").asLong();
        if (frames != o.frames()) {
            return "ffprobe decodes " + frames + " frames of " + o.frames() + " written";
        }
        JsonNode source = FfmpegCli.stream(FfmpegCli.probe(c.input()), "video");
        if (source != null && (video.path("width").asInt() != 2 * source.path("width").asInt()
                || video.path("height").asInt() != 2 * source.path("height").asInt())) {
            return "output is " + video.path("width") + "x" + video.path("height") + ", input "
                    + source.path("width") + "x" + source.path("height");
        }
        if (c.rotated() && !video.toString().contains("\"rotation\":-90")) {
            return "the display matrix was lost: " + video.path("side_data_list");
        }
        return null;
    }
}
