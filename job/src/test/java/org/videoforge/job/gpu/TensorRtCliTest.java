package org.videoforge.job.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.frame.Rational;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.tensorrt.EngineCache;
import org.videoforge.inference.tensorrt.TensorRtRuntime;
import org.videoforge.job.testing.CliResult;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.model.SrVggNetCompact;
import org.videoforge.testing.DecodedVideo;
import org.videoforge.testing.Samples;
import org.videoforge.testing.SyntheticClips;

/**
 * The CLI on TensorRT (skipped without a CUDA device and TensorRT): the whole GPU chain against the
 * CPU backend frame by frame, 8- and 10-bit, and with a Compact model (pixel shuffle in our kernel); what it says about the engine build and where TensorRT
 * came from; auto's choice; micro-batches and tiles; the VRAM ceiling; a segmented batch job whose
 * two slots share one engine. Engines go to a cache of this class's own.
 */
class TensorRtCliTest {
    private static final Path SAMPLE = Samples.sample640x360();

    @TempDir
    static Path engines;

    @TempDir
    Path dir;

    private static String cacheProperty;

    @BeforeAll
    static void tensorRt() {
        assumeTrue(CudaRuntime.available(), () -> "no CUDA device: " + CudaRuntime.unavailableReason());
        assumeTrue(TensorRtRuntime.available(), () -> "no TensorRT: " + TensorRtRuntime.unavailableReason());
        cacheProperty = System.getProperty(EngineCache.DIR_PROPERTY);
        System.setProperty(EngineCache.DIR_PROPERTY, engines.toString());
    }

    @AfterAll
    static void restore() {
        if (cacheProperty == null) {
            System.clearProperty(EngineCache.DIR_PROPERTY);
        } else {
            System.setProperty(EngineCache.DIR_PROPERTY, cacheProperty);
        }
    }

    @Test
    void theSampleRunsOnTensorRtBuildingItsEngineOnce() {
        Path own = dir.resolve("own-cache"); // other tests may have cached this engine in the shared one
        System.setProperty(EngineCache.DIR_PROPERTY, own.toString());
        try {
            runTwiceBuildingOnce(own);
        } finally {
            System.setProperty(EngineCache.DIR_PROPERTY, engines.toString());
        }
    }

    private void runTwiceBuildingOnce(Path cache) {
        CliResult first = upscaleSample("first.mp4", "--backend", "tensorrt", "-p", "fp16");
        assertEquals(0, first.exitCode, first.toString());
        assertTrue(first.out.contains("building a TensorRT engine for 640x360 FP16, first time only; cache in "
                + cache), first.out);
        assertTrue(first.out.matches("(?s).*TensorRT engine built in \\d+\\.\\d s.*"), first.out);
        assertTrue(first.out.matches("(?s).*backend tensorrt: TensorRT 10\\.\\d+\\.\\d+ from .*"), first.out);
        assertTrue(first.out.contains("on tensorrt"), first.out);
        MediaInfo info = MediaProbe.probe(dir.resolve("first.mp4"), null);
        assertEquals(1280, info.video().width());
        assertEquals(48, countFrames(dir.resolve("first.mp4")));
        assertTrue(first.out.matches("(?s).*host copies\\s+48\\b.*"), "one download per frame: " + first.out);

        CliResult second = upscaleSample("second.mp4", "--backend", "tensorrt", "-p", "fp16");
        assertEquals(0, second.exitCode, second.toString());
        assertFalse(second.out.contains("building a TensorRT engine"), "the cached engine serves: " + second.out);
    }

    @Test
    void autoPicksTensorRtAndSaysSo() {
        CliResult r = upscaleSample("auto.mp4", "-p", "fp16");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("backend auto: using TensorRT on device 0"), r.out);
        assertTrue(r.out.contains("on tensorrt"), r.out);
    }

    @Test
    void microBatchesAndTilesRunOnTensorRt() {
        CliResult r = upscaleSample("batched-tiled.mp4", "--backend", "tensorrt", "-p", "fp16", "--max-batch", "4",
                "--tile", "160");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("building a TensorRT engine for 160x160 FP16 (batches up to 4)"), r.out);
        assertEquals(48, countFrames(dir.resolve("batched-tiled.mp4")));
    }

    @Test
    void aVramLimitBelowTheModelsNeedIsVramExhausted() throws IOException {
        GpuCliTest.assertVramLimitIsE3001(dir, "tensorrt");
    }

    /** NVDEC, colour kernels, TensorRT FP16, one download, x264: each frame against the CPU backend's. */
    @Test
    void the8BitChainMatchesTheCpuBackendFrameByFrame() {
        Path in = SyntheticClips.h264(dir.resolve("moving.mp4"), 320, 192, 24, new Rational(24, 1));
        DecodedVideo cpu = DecodedVideo.of(upscale(in, "cpu", "fp16", "moving-cpu.mp4"));
        DecodedVideo trt = DecodedVideo.of(upscale(in, "tensorrt", "fp16", "moving-trt.mp4"));
        assertFrameByFrame(cpu, trt, (v, i) -> luma8(v.luma(i)), 255, "8-bit, FP16");
    }

    @Test
    void the10BitChainMatchesTheCpuBackendFrameByFrame() {
        Path in = SyntheticClips.hevc10(dir.resolve("ten.mkv"), 320, 192, 12, new Rational(24, 1));
        DecodedVideo cpu = DecodedVideo.of(upscale(in, "cpu", "fp32", "ten-cpu.mkv"));
        DecodedVideo trt = DecodedVideo.of(upscale(in, "tensorrt", "fp32", "ten-trt.mkv"));
        assertEquals(PixelFormat.P010, MediaProbe.probe(dir.resolve("ten-trt.mkv"), null).video().pixelFormat());
        assertFrameByFrame(cpu, trt, TensorRtCliTest::luma10, 1023, "10-bit, FP32");
    }

    /**
     * A model ending in a pixel shuffle (Compact x2): its engines stop before the shuffle, our kernel
     * does it and the residual add, with the pipeline's two contexts in flight; frames as the CPU's.
     */
    @Test
    void aCompactModelsChainMatchesTheCpuBackendFrameByFrame() throws IOException {
        Path model = Files.write(dir.resolve("compact-x2-fp16.onnx"), SrVggNetCompact.build(2, Precision.FP16, 7));
        Path in = SyntheticClips.h264(dir.resolve("compact.mp4"), 256, 144, 12, new Rational(24, 1));
        DecodedVideo cpu = DecodedVideo.of(upscale(in, "cpu", "fp16", "compact-cpu.mp4", model.toString()));
        DecodedVideo trt = DecodedVideo.of(upscale(in, "tensorrt", "fp16", "compact-trt.mp4", model.toString()));
        assertFrameByFrame(cpu, trt, (v, i) -> luma8(v.luma(i)), 255, "8-bit, FP16, Compact x2, shuffle in our kernel");
    }

    /** A segmented batch job on TensorRT: its two slots open the same engine, built once. */
    @Test
    void theBatchJobRunsOnTensorRt() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        for (int i = 0; i < 2; i++) {
            SyntheticClips.h264(in.resolve("clip" + i + ".mp4"), 256, 144, 24, new Rational(24, 1), 8);
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        CliResult r = CliResult.run("batch", "--input-dir", in.toString(), "--output-dir", out.toString(),
                "--staging", dir.resolve("staging").toString(), "--segment-seconds", "0.3", "--parallelism", "2",
                "--backend", "tensorrt", "-p", "fp16", "-m", ModelRef.DEFAULT_BUNDLED, "--encoder-preset", "ultrafast");
        assertEquals(0, r.exitCode, r.toString());
        for (int i = 0; i < 2; i++) {
            assertEquals(24, countFrames(out.resolve("clip" + i + "-upscaled.mp4")));
        }
        String all = r.out + r.err;
        assertTrue(all.split("building a TensorRT engine for 256x144 FP16", -1).length <= 2,
                "built at most once: " + all);
    }

    private CliResult upscaleSample(String output, String... args) {
        // the model these engines were measured with; the defaults differ between the CPU and a GPU
        List<String> a = new java.util.ArrayList<>(List.of("-i", SAMPLE.toString(), "-o", dir.resolve(output).toString(),
                "-m", ModelRef.DEFAULT_BUNDLED, "--no-progress"));
        a.addAll(List.of(args));
        return CliResult.run(a.toArray(new String[0]));
    }

    private Path upscale(Path in, String backend, String precision, String output) {
        // the same model on both (without -m the CPU and the GPU defaults differ)
        return upscale(in, backend, precision, output, ModelRef.DEFAULT_BUNDLED);
    }

    private Path upscale(Path in, String backend, String precision, String output, String model) {
        Path out = dir.resolve(output);
        CliResult r = CliResult.run("-i", in.toString(), "-o", out.toString(), "--backend", backend, "-p", precision,
                "-m", model, "--no-progress");
        assertEquals(0, r.exitCode, r.toString());
        return out;
    }

    /**
     * Every frame close to the CPU's frame of the same index (35 dB) and farther from its neighbours,
     * so that a frame that left the inference stage out of order or half-written would show.
     */
    private static void assertFrameByFrame(DecodedVideo cpu, DecodedVideo gpu, BiFunction<DecodedVideo, Integer, int[]> luma,
                                           int peak, String what) {
        assertEquals(cpu.count(), gpu.count());
        double worst = Double.POSITIVE_INFINITY;
        for (int i = 0; i < gpu.count(); i++) {
            double same = psnr(luma.apply(gpu, i), luma.apply(cpu, i), peak);
            worst = Math.min(worst, same);
            assertTrue(same >= 35, "frame " + i + ": " + same + " dB");
            for (int n : new int[] {i - 1, i + 1}) {
                if (n >= 0 && n < cpu.count()) {
                    assertTrue(same > psnr(luma.apply(gpu, i), luma.apply(cpu, n), peak),
                            "frame " + i + " is closer to CPU frame " + n);
                }
            }
        }
        System.out.printf("GPU chain on TensorRT vs CPU backend through the CLI, %s, luma: worst frame %.1f dB%n", what,
                worst);
    }

    /** Frame {@code i}'s 10-bit luma samples (P010: 16-bit little-endian words, value in the top 10 bits). */
    private static int[] luma10(DecodedVideo v, int i) {
        ByteBuffer b = ByteBuffer.wrap(v.frames().get(i)).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[v.width() * v.height()];
        for (int k = 0; k < out.length; k++) {
            out[k] = (b.getShort(2 * k) & 0xffff) >> 6;
        }
        return out;
    }

    private static int[] luma8(byte[] plane) {
        int[] out = new int[plane.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = plane[k] & 0xff;
        }
        return out;
    }

    private static double psnr(int[] a, int[] b, int peak) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        double mse = sum / a.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10((double) peak * peak / mse);
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
}
