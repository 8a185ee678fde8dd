package org.videoforge.job.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.tensorrt.TensorRtRuntime;
import org.videoforge.job.testing.CliResult;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.testing.DecodedVideo;
import org.videoforge.testing.Samples;
import org.videoforge.testing.SyntheticClips;

/**
 * The CLI on the GPU-resident path (skipped without a CUDA device). Outputs are checked with the
 * project's own FFmpeg bindings, since the GPU host has no ffprobe.
 */
class GpuCliTest {
    private static final Path SAMPLE = Samples.sample640x360();

    @TempDir
    Path dir;

    @BeforeAll
    static void gpu() {
        assumeTrue(CudaRuntime.available(), "no CUDA device: " + CudaRuntime.unavailableReason());
    }

    @Test
    void sampleRunsOnTheGpuWithOneHostCopyPerFrame() {
        Path out = dir.resolve("gpu-x2.mp4");
        CliResult r = CliResult.run("-i", SAMPLE.toString(), "-o", out.toString(), "--backend", "cuda",
                "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        MediaInfo info = MediaProbe.probe(out, null);
        assertEquals(1280, info.video().width());
        assertEquals(720, info.video().height());
        assertEquals(48, countFrames(out));
        assertFalse(info.otherStreams().isEmpty(), "audio/subtitles copied");
        // No NVENC on this host: exactly the one download per frame for the software encoder.
        assertEquals(48, summaryNumber(r.out, "host copies\\s+(\\d+)"), r.out);
        // The start-up probe said which encoder runs (software until NVENC encoding exists).
        assertTrue(r.out.contains("encoding with libx264 on the CPU"), r.out);
        // Without -m a GPU runs the GPU default, and the start-up line says so.
        assertTrue(r.out.contains("model        " + ModelRef.DEFAULT_GPU + ": "), r.out);
        assertTrue(r.out.contains("(the GPU default"), r.out);
    }

    @Test
    void microBatchesAndTilesRunOnTheGpu() {
        Path out = dir.resolve("batched-tiled.mp4");
        CliResult r = CliResult.run("-i", SAMPLE.toString(), "-o", out.toString(), "--backend", "cuda",
                "--max-batch", "4", "--tile", "160", "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(48, countFrames(out));
        assertEquals(48, summaryNumber(r.out, "host copies\\s+(\\d+)"), "still one download per frame: " + r.out);
    }

    @Test
    void autoPicksOnnxRuntimeCudaAndSaysSo() {
        assumeFalse(TensorRtRuntime.available(), "TensorRT is here: auto picks it (TensorRtCliTest)");
        Path out = dir.resolve("auto.mp4");
        CliResult r = CliResult.run("-i", SAMPLE.toString(), "-o", out.toString(), "-p", "fp16", "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("using ONNX Runtime CUDA"), r.out);
    }

    @Test
    void tensorRtIsACodedErrorHere() {
        assumeFalse(TensorRtRuntime.available(), "TensorRT is here (TensorRtCliTest)");
        CliResult r = CliResult.run("-i", SAMPLE.toString(), "-o", dir.resolve("trt.mp4").toString(),
                "--backend", "tensorrt", "--no-progress");
        assertNotEquals(0, r.exitCode);
        assertTrue(r.err.contains("E3003 BACKEND_UNAVAILABLE"), r.toString());
    }

    @Test
    void vramLimitBelowTheModelsNeedIsVramExhausted() throws IOException {
        assertVramLimitIsE3001(dir, "cuda");
    }

    /** A 4 MB --vram-limit on {@code backend}: E3001, no output, no temporary (TensorRtCliTest's case too). */
    static void assertVramLimitIsE3001(Path dir, String backend) throws IOException {
        Path out = dir.resolve("limited-" + backend + ".mp4");
        CliResult r = CliResult.run("-i", SAMPLE.toString(), "-o", out.toString(), "--backend", backend,
                "--vram-limit", "4", "--no-progress");
        assertNotEquals(0, r.exitCode, r.toString());
        assertTrue(r.err.contains("E3001 VRAM_EXHAUSTED"), r.toString());
        assertFalse(Files.exists(out));
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no temporary left");
        }
    }

    @Test
    void tenBitHevcStaysTenBitThroughNvdec() {
        Path in = SyntheticClips.hevc10(dir.resolve("ten.mkv"), 320, 192, 12, new Rational(24, 1));
        Path out = dir.resolve("ten-out.mkv");
        CliResult r = CliResult.run("-i", in.toString(), "-o", out.toString(), "--backend", "cuda", "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        MediaInfo info = MediaProbe.probe(out, null);
        assertEquals(PixelFormat.P010, info.video().pixelFormat());
        assertEquals(640, info.video().width());
        assertEquals(12, countFrames(out));
    }

    /**
     * The whole GPU chain through the operators (NVDEC, colour kernels, inference queued while the
     * next frame is prepared, one download, x264) against the CPU backend on a moving clip: every
     * frame close to the CPU's frame of the same index and farther from its neighbours, so a frame
     * that left the inference stage out of order or half-written would show.
     */
    @Test
    void theGpuChainMatchesTheCpuBackendFrameByFrame() {
        Path in = SyntheticClips.h264(dir.resolve("moving.mp4"), 320, 192, 24, new Rational(24, 1));
        DecodedVideo cpu = DecodedVideo.of(upscale(in, "cpu"));
        DecodedVideo gpu = DecodedVideo.of(upscale(in, "cuda"));
        assertEquals(24, cpu.count());
        assertEquals(24, gpu.count());
        double worst = Double.POSITIVE_INFINITY;
        for (int i = 0; i < gpu.count(); i++) {
            double same = psnr(gpu.luma(i), cpu.luma(i));
            worst = Math.min(worst, same);
            assertTrue(same >= 35, "frame " + i + ": " + same + " dB");
            for (int n : new int[] {i - 1, i + 1}) {
                if (n >= 0 && n < cpu.count()) {
                    assertTrue(same > psnr(gpu.luma(i), cpu.luma(n)), "frame " + i + " is closer to CPU frame " + n);
                }
            }
        }
        System.out.printf("GPU chain vs CPU backend through the CLI, FP32, luma: worst frame %.1f dB%n", worst);
    }

    private Path upscale(Path in, String backend) {
        Path out = dir.resolve("moving-" + backend + ".mp4");
        // the same model on both (without -m the CPU and the GPU defaults differ)
        CliResult r = CliResult.run("-i", in.toString(), "-o", out.toString(), "--backend", backend, "-p", "fp32",
                "-m", ModelRef.DEFAULT_BUNDLED, "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        return out;
    }

    private static double psnr(byte[] a, byte[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xff) - (b[i] & 0xff);
            sum += d * d;
        }
        double mse = sum / a.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    private static long countFrames(Path file) {
        try (BucketedBufferPool pool = BucketedBufferPool.host("count");
             VideoDecoder d = VideoDecoder.open(MediaProbe.probe(file, null), pool)) {
            DecodedFrame f;
            while ((f = d.next()) != null) {
                f.close();
            }
            return d.framesDecoded();
        }
    }

    private static long summaryNumber(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no match for " + regex + " in\n" + out);
        return Long.parseLong(m.group(1));
    }
}
