package org.videoforge.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.inference.tensorrt.TensorRtRuntime;
import org.videoforge.job.testing.CliResult;
import org.videoforge.testing.FfmpegCli;
import org.videoforge.model.OnnxGraphBuilder;
import org.videoforge.model.OnnxGraphBuilder.Dim;

/** Each kind of bad input: its own code on stderr, a non-zero exit, and no output file. */
class BadInputCliTest {
    @TempDir
    Path dir;

    private Path good;
    private Path out;

    @BeforeAll
    static void tools() {
        FfmpegCli.assumeInstalled();
    }

    @BeforeEach
    void clip() {
        good = dir.resolve("good.mp4");
        // moov at the end (ffmpeg's default), as most cameras write it.
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=10:duration=1", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", good.toString());
        out = dir.resolve("out.mp4");
    }

    private void assertFailsWith(ErrorCode code, String... args) throws IOException {
        CliResult r = CliResult.run(args);
        assertNotEquals(0, r.exitCode, r.toString());
        assertTrue(r.err.contains("E" + code.number() + " " + code.name()), "expected " + code + " in\n" + r);
        assertFalse(Files.exists(out), "no output file");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary left");
        }
    }

    @Test
    void missingInput() throws IOException {
        assertFailsWith(ErrorCode.INPUT_NOT_FOUND, "-i", dir.resolve("nope.mp4").toString(), "-o", out.toString());
    }

    @Test
    void zeroByteFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        assertFailsWith(ErrorCode.INPUT_UNREADABLE, "-i", empty.toString(), "-o", out.toString());
    }

    @Test
    void textFileNamedMp4() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "these are not video frames\n".repeat(50),
                StandardCharsets.UTF_8);
        assertFailsWith(ErrorCode.INPUT_UNREADABLE, "-i", text.toString(), "-o", out.toString());
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] all = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(all, all.length / 2));
        CliResult r = CliResult.run("-i", cut.toString(), "-o", out.toString());
        assertNotEquals(0, r.exitCode, r.toString());
        assertTrue(r.err.contains("E" + ErrorCode.CORRUPT_STREAM.number())
                || r.err.contains("E" + ErrorCode.INPUT_UNREADABLE.number()), r.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void truncatedFastStartFileFailsInsideTheJob() throws IOException {
        Path fast = dir.resolve("fast.mp4");
        FfmpegCli.ffmpeg("-i", good.toString(), "-c", "copy", "-movflags", "+faststart", fast.toString());
        byte[] all = Files.readAllBytes(fast);
        Path cut = Files.write(dir.resolve("fastcut.mp4"), Arrays.copyOf(all, all.length * 2 / 3));
        assertFailsWith(ErrorCode.CORRUPT_STREAM, "-i", cut.toString(), "-o", out.toString());
    }

    @Test
    void unknownCodec() throws IOException {
        Path mpeg4 = dir.resolve("mpeg4.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=10:duration=0.5", "-c:v", "mpeg4",
                mpeg4.toString());
        assertFailsWith(ErrorCode.UNSUPPORTED_CODEC, "-i", mpeg4.toString(), "-o", out.toString());
    }

    @Test
    void missingModel() throws IOException {
        assertFailsWith(ErrorCode.MODEL_NOT_FOUND, "-i", good.toString(), "-o", out.toString(),
                "-m", dir.resolve("missing.onnx").toString());
    }

    @Test
    void modelWithWrongRank() throws IOException {
        OnnxGraphBuilder g = new OnnxGraphBuilder("rank3", Precision.FP32);
        String x = g.input("input", Dim.of(3), Dim.param("H"), Dim.param("W"));
        g.output(g.mul(x, 1f), "output", Dim.of(3), Dim.param("H"), Dim.param("W"));
        Path model = Files.write(dir.resolve("rank3.onnx"), g.build());
        assertFailsWith(ErrorCode.MODEL_SHAPE_MISMATCH, "-i", good.toString(), "-o", out.toString(),
                "-m", model.toString());
    }

    @Test
    void rawBitstreamWithoutGeometry() throws IOException {
        Path raw = dir.resolve("in.h264");
        FfmpegCli.ffmpeg("-i", good.toString(), "-c", "copy", "-bsf:v", "h264_mp4toannexb", "-f", "h264",
                raw.toString());
        assertFailsWith(ErrorCode.RAW_STREAM_NEEDS_GEOMETRY, "-i", raw.toString(), "-o", out.toString());
    }

    @Test
    void batchTileAndQueueSettingsOutOfRangeAreInvalidArguments() throws IOException {
        assertFailsWith(ErrorCode.INVALID_ARGUMENT, "-i", good.toString(), "-o", out.toString(), "--max-batch", "0");
        assertFailsWith(ErrorCode.INVALID_ARGUMENT, "-i", good.toString(), "-o", out.toString(),
                "--batch-deadline-us", "-1");
        assertFailsWith(ErrorCode.INVALID_ARGUMENT, "-i", good.toString(), "-o", out.toString(),
                "--tile", "24", "--tile-overlap", "16");
        assertFailsWith(ErrorCode.INVALID_ARGUMENT, "-i", good.toString(), "-o", out.toString(),
                "--encoder-preset", "warp");
        assertFailsWith(ErrorCode.INVALID_ARGUMENT, "-i", good.toString(), "-o", out.toString(), "--encode-queue", "0");
    }

    @Test
    void cudaBackendWithoutAGpuIsACodedError() throws IOException {
        assumeFalse(CudaRuntime.available(), "this machine has a GPU");
        assertFailsWith(ErrorCode.DEVICE_UNAVAILABLE, "-i", good.toString(), "-o", out.toString(), "--backend", "cuda");
    }

    @Test
    void tensorRtBackendIsACodedErrorWhereItCannotBuild() throws IOException {
        assumeFalse(TensorRtRuntime.available() && CudaRuntime.available(), "TensorRT can run here");
        assertFailsWith(ErrorCode.BACKEND_UNAVAILABLE, "-i", good.toString(), "-o", out.toString(),
                "--backend", "tensorrt");
    }

    @Test
    void unknownFlagIsAUsageError() {
        CliResult r = CliResult.run("-i", good.toString(), "-o", out.toString(), "--frobnicate");
        assertEquals(ExitCodes.USAGE, r.exitCode);
        assertTrue(r.err.contains("E1000 INVALID_ARGUMENT"), r.toString());
    }
}
