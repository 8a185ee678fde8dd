package org.videoforge.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.job.testing.CliResult;
import org.videoforge.model.BundledModels;
import org.videoforge.testing.FfmpegCli;
import org.videoforge.testing.RotatedMp4;

/**
 * Representative hostile inputs and faults through the whole CLI and Flink job (the native
 * corpus runs the rest): each is its code, a non-zero exit and no file left behind; a rotated
 * phone video comes out upright; a model file damaged while a job runs does not hurt that job
 * (the session read it at start) and is MODEL_INVALID for the next.
 */
class HostileInputCliTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        FfmpegCli.assumeInstalled();
    }

    private Path clip(String name, String size, double seconds, String... codecArgs) {
        Path out = dir.resolve(name);
        String[] args = Stream.concat(Stream.of("-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=24:duration="
                + seconds), Stream.concat(Arrays.stream(codecArgs), Stream.of(out.toString()))).toArray(String[]::new);
        FfmpegCli.ffmpeg(args);
        return out;
    }

    private void assertFailsLeavingNothing(ErrorCode code, Path outDir, String... args) throws IOException {
        CliResult r = CliResult.run(args);
        assertEquals(ExitCodes.ENGINE_ERROR, r.exitCode, r.toString());
        assertTrue(r.err.contains("E" + code.number() + " " + code.name()), "expected " + code + " in\n" + r);
        if (Files.isDirectory(outDir)) {
            try (Stream<Path> files = Files.list(outDir)) {
                assertEquals(0, files.count(), "nothing left in " + outDir);
            }
        }
    }

    @Test
    void truncatedMatroskaIsCorruptNotShort() throws IOException {
        Path mkv = clip("in.mkv", "96x64", 1, "-c:v", "libx264", "-pix_fmt", "yuv420p");
        byte[] all = Files.readAllBytes(mkv);
        Path cut = Files.write(dir.resolve("cut.mkv"), Arrays.copyOf(all, all.length * 3 / 4));
        Path out = Files.createDirectory(dir.resolve("out"));
        assertFailsLeavingNothing(ErrorCode.CORRUPT_STREAM, out, "-i", cut.toString(), "-o",
                out.resolve("x.mp4").toString(), "--no-progress");
    }

    @Test
    void chroma422IsUnsupportedPixelFormat() throws IOException {
        Path in = clip("422.mp4", "96x64", 0.5, "-c:v", "libx264", "-pix_fmt", "yuv422p");
        Path out = Files.createDirectory(dir.resolve("out"));
        assertFailsLeavingNothing(ErrorCode.UNSUPPORTED_PIXEL_FORMAT, out, "-i", in.toString(), "-o",
                out.resolve("x.mp4").toString(), "--no-progress");
    }

    @Test
    void outputUnderARegularFileIsOutputWriteFailed() throws IOException {
        Path in = clip("in.mp4", "96x64", 0.5, "-c:v", "libx264", "-pix_fmt", "yuv420p");
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertFailsLeavingNothing(ErrorCode.OUTPUT_WRITE_FAILED, file, "-i", in.toString(), "-o",
                file.resolve("x.mp4").toString(), "--no-progress");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void rotatedPhoneVideoKeepsItsDisplayMatrix() throws IOException {
        Path plain = clip("plain.mp4", "96x64", 0.5, "-c:v", "libx264", "-pix_fmt", "yuv420p");
        Path in = RotatedMp4.write(plain, dir.resolve("phone.mp4"));
        String probedIn = FfmpegCli.stream(FfmpegCli.probe(in), "video").toString();
        assertTrue(probedIn.contains("\"rotation\":-90"), "the test input is rotated: " + probedIn);
        Path out = dir.resolve("phone-x2.mp4");
        CliResult r = CliResult.run("-i", in.toString(), "-o", out.toString(), "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        String probedOut = FfmpegCli.stream(FfmpegCli.probe(out), "video").toString();
        assertTrue(probedOut.contains("\"rotation\":-90"), "display matrix kept: " + probedOut);
        assertTrue(probedOut.contains("\"width\":192"), probedOut);
    }

    @Test
    void modelCorruptedMidJobSparesThatJobAndFailsTheNext() throws Exception {
        Path in = clip("in.mp4", "160x90", 4, "-c:v", "libx264", "-pix_fmt", "yuv420p");
        Path model = Files.write(dir.resolve("model.onnx"),
                BundledModels.load("esrgan-slim-x2", Precision.FP32).orElseThrow());
        Path outDir = Files.createDirectory(dir.resolve("out"));
        Path out = outDir.resolve("x2.mp4");
        CompletableFuture<CliResult> job = CompletableFuture.supplyAsync(() -> CliResult.run("-i", in.toString(),
                "-o", out.toString(), "-m", model.toString(), "--no-progress"));
        // Encoding has begun (a .part exists) only after the model was loaded: damage it now.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!job.isDone() && !hasPart(outDir) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertFalse(job.isDone(), "the job ended before it could be disturbed");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, Arrays.copyOf(bytes, bytes.length / 3));
        CliResult first = job.get(300, TimeUnit.SECONDS);
        assertEquals(0, first.exitCode, first.toString());
        assertEquals(96, FfmpegCli.countFrames(out));

        Path second = outDir.resolve("again.mp4");
        assertFailsLeavingNothing(ErrorCode.MODEL_INVALID, dir.resolve("none"), "-i", in.toString(), "-o",
                second.toString(), "-m", model.toString(), "--no-progress");
        assertFalse(Files.exists(second));
    }

    private static boolean hasPart(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".part"));
        }
    }
}
