package org.videoforge.inference.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Float16;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.gpu.DevicePools;
import org.videoforge.gpu.FrameTransfers;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.backends.InferenceBackends;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.PixelShuffleTail;
import org.videoforge.inference.OrtCpuBackend;
import org.videoforge.inference.PendingRun;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.SharedPools;
import org.videoforge.model.OnnxGraphBuilder;
import org.videoforge.model.OnnxGraphBuilder.Dim;
import org.videoforge.model.SrVggNetCompact;

/**
 * The TensorRT backend on a GPU, against ONNX Runtime CPU (the oracle) within the tolerances the
 * ONNX Runtime CUDA backend meets (FP32 45 dB, FP16 40 dB). Every test needs the TensorRT 10
 * libraries and a CUDA device and is skipped without them. Engines go to a fresh cache per test.
 */
class TensorRtBackendGpuTest {
    private static final int H = 48;
    private static final int W = 64;
    private static final String BUNDLED = "esrgan-slim-x2";
    private static final double FP32_PSNR = 45;
    private static final double FP16_PSNR = 40;

    @TempDir
    Path dir;

    @BeforeEach
    void tensorRtAndGpu() {
        assumeTrue(TensorRtRuntime.available(), () -> "no TensorRT: " + TensorRtRuntime.unavailableReason());
        assumeTrue(CudaRuntime.available(), () -> "no CUDA device: " + CudaRuntime.unavailableReason());
    }

    private EngineCache cache() {
        return EngineCache.at(dir.resolve("engines"));
    }

    private TensorRtOptions options(int maxBatch) {
        return TensorRtOptions.defaults().withMaxBatch(maxBatch).withCache(cache())
                .withSettings(EngineSettings.DEFAULTS);
    }

    private ModelRef compact(Precision p) throws IOException {
        return compact(p, 2);
    }

    private ModelRef compact(Precision p, int scale) throws IOException {
        Path path = dir.resolve("compact-x" + scale + "-" + p + ".onnx");
        Files.write(path, SrVggNetCompact.build(scale, p, 21));
        return ModelRef.of(path.toString());
    }

    /** A model fixed to 1x3x16x24, nearest x2. */
    private ModelRef fixed(Precision p) throws IOException {
        OnnxGraphBuilder g = new OnnxGraphBuilder("fixed", p);
        String x = g.input("input", Dim.of(1), Dim.of(3), Dim.of(16), Dim.of(24));
        g.output(g.resizeNearest(x, 2, 2), "output", Dim.of(1), Dim.of(3), Dim.of(32), Dim.of(48));
        Path path = dir.resolve("fixed-" + p + ".onnx");
        Files.write(path, g.build());
        return ModelRef.of(path.toString());
    }

    @Test
    void tellsWhereTheLibrariesCameFrom() {
        String d = TensorRtRuntime.describe();
        System.out.println(d);
        assertTrue(d.matches("TensorRT 10\\.\\d+\\.\\d+ from (the Maven redistributable|a system TensorRT install) \\(/.*\\)"),
                d);
    }

    @Test
    void parsesTheBundledModel() {
        for (Precision p : Precision.values()) {
            byte[] onnx = ModelRef.of(BUNDLED).load(p);
            List<String> io = EngineBuilder.parseNetwork(onnx, BUNDLED, 0);
            System.out.println(BUNDLED + " " + p + " as TensorRT parses it: " + io);
            assertEquals(2, io.size(), io.toString());
            assertTrue(io.get(0).startsWith("input ") && io.get(0).contains("x3x"), io.toString());
            assertTrue(io.get(1).startsWith("output "), io.toString());
        }
    }

    @Test
    void anInvalidModelIsModelInvalid() throws IOException {
        EngineError parser = assertThrows(EngineError.class,
                () -> EngineBuilder.parseNetwork("not an onnx model".getBytes(), "garbage", 0));
        assertEquals(ErrorCode.MODEL_INVALID, parser.code(), parser.oneLine());
        assertTrue(parser.getMessage().contains("TensorRT's ONNX parser rejected model garbage"), parser.getMessage());
        Path garbage = Files.write(dir.resolve("garbage.onnx"), "not an onnx model".getBytes());
        EngineError open = assertThrows(EngineError.class, () -> TensorRtBackend.open(ModelRef.of(garbage.toString()),
                Precision.FP16, 0, options(1)));
        assertEquals(ErrorCode.MODEL_INVALID, open.code(), open.oneLine());
    }

    @Test
    void buildsAnFp16EngineSaysSoAndTheSecondOpenHitsTheCache() {
        EngineCache cache = cache();
        ModelRef m = ModelRef.of(BUNDLED);
        List<String> notices = new ArrayList<>();
        EngineCacheKey key;
        try (TensorRtBackend first = TensorRtBackend.open(m, Precision.FP16, 0, options(1).withNotices(notices::add))) {
            first.prepare(H, W);
            assertFalse(first.engineFromCache(), "a cold cache builds");
            assertTrue(first.engineBuildNanos() > 0);
            key = first.engineKey().orElseThrow();
            assertEquals(Precision.FP16, key.precision());
            assertEquals(ShapeProfile.forVideo(first.model(), H, W, 1), key.profile());
            assertEquals(first.device().computeCapability(), key.computeCapability());
            assertTrue(Files.isRegularFile(cache.path(key)), "the engine was stored: " + cache.path(key));
            assertEquals("tensorrt", first.name());
            assertEquals(MemoryKind.DEVICE, first.tensorMemory());
            assertEquals(2, first.model().scale());
            assertTrue(first.activationBytes() > 0);
        }
        System.out.println(notices);
        assertEquals(2, notices.size(), notices.toString());
        assertEquals("building a TensorRT engine for 64x48 FP16, first time only; cache in " + cache.directory(),
                notices.get(0));
        assertTrue(notices.get(1).matches("TensorRT engine built in \\d+\\.\\d s"), notices.get(1));
        Path timings = cache.timingCachePath(key.gpuName(), key.computeCapability(), key.tensorRtVersion());
        assertTrue(Files.isRegularFile(timings), "the timing cache was stored: " + timings);
        notices.clear();
        long t0 = System.nanoTime();
        try (TensorRtBackend second = TensorRtBackend.open(m, Precision.FP16, 0, options(1).withNotices(notices::add))) {
            second.prepare(H, W);
            assertTrue(second.engineFromCache(), "the second open deserializes the cached engine");
            assertEquals(key, second.engineKey().orElseThrow());
            assertEquals(0, second.engineBuildNanos());
        }
        System.out.printf("cached FP16 engine opened in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        assertEquals(List.of(), notices, "nothing built, nothing said");
    }

    @Test
    void thePersistedTimingCacheServesTheNextBuild() throws IOException {
        ModelRef m = compact(Precision.FP16);
        try (TensorRtBackend b = TensorRtBackend.open(m, Precision.FP16, 0, options(1))) {
            b.prepare(H, W);
            assertFalse(b.engineFromCache());
        }
        // Other settings: another engine, built only from the timings the first build stored.
        EngineSettings fromTimings = EngineSettings.DEFAULTS.withTimingCacheOnly(true);
        try (TensorRtBackend b = TensorRtBackend.open(m, Precision.FP16, 0, options(1).withSettings(fromTimings))) {
            b.prepare(H, W);
            assertFalse(b.engineFromCache(), "a new key, built");
            System.out.printf("rebuilt from the stored timing cache in %.1f s%n", b.engineBuildNanos() / 1e9);
        }
    }

    @Test
    void aFailedBuildIsBackendUnavailableAndCachesNothing() throws IOException {
        ModelRef m = compact(Precision.FP16);
        EngineSettings nothingTimed = EngineSettings.DEFAULTS.withTimingCacheOnly(true); // and the cache is empty
        try (TensorRtBackend b = TensorRtBackend.open(m, Precision.FP16, 0, options(1).withSettings(nothingTimed))) {
            EngineError e = assertThrows(EngineError.class, () -> b.prepare(H, W));
            System.out.println("failed build: " + e.oneLine());
            assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code(), e.oneLine());
            assertTrue(e.getMessage().contains("TensorRT could not build an engine for this GPU"), e.getMessage());
            assertTrue(e.getMessage().matches("(?s).*sm_\\d+.*"), e.getMessage());
            assertTrue(e.getMessage().contains("--backend cuda"), e.getMessage());
        }
        try (Stream<Path> files = Files.list(dir.resolve("engines"))) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".engine")), "nothing cached for a failed build");
        }
    }

    @Test
    void fp16MatchesOnnxRuntimeCpu() throws IOException {
        compareWithCpu(ModelRef.of(BUNDLED), Precision.FP16, 1, H, W, 1, FP16_PSNR);
        compareWithCpu(compact(Precision.FP16), Precision.FP16, 1, H, W, 1, FP16_PSNR);
    }

    @Test
    void fp32MatchesOnnxRuntimeCpu() throws IOException {
        compareWithCpu(ModelRef.of(BUNDLED), Precision.FP32, 1, H, W, 1, FP32_PSNR);
        compareWithCpu(compact(Precision.FP32), Precision.FP32, 1, H, W, 1, FP32_PSNR);
    }

    @Test
    void aBatchOfThreeMatchesOnnxRuntimeCpu() throws IOException {
        compareWithCpu(compact(Precision.FP32), Precision.FP32, 3, H, W, 4, FP32_PSNR);
        compareWithCpu(compact(Precision.FP16), Precision.FP16, 3, H, W, 4, FP16_PSNR);
    }

    /**
     * Compact's engines end before its pixel shuffle by default (the kernel after them is what the
     * Compact cases of the tests above ran) and match the CPU at x4 too; -D...shuffleKernel=false
     * settings keep the whole graph; a model without the tail keeps its engine and cache key.
     */
    @Test
    void compactsEnginesEndBeforeThePixelShuffle() throws IOException {
        EngineSettings requested = EngineSettings.fromSystemProperties();
        assertTrue(requested.shuffleInKernel());
        for (Precision p : Precision.values()) {
            ModelRef x4 = compact(p, 4);
            compareWithCpu(x4, p, 1, H, W, 1, p == Precision.FP32 ? FP32_PSNR : FP16_PSNR);
            try (TensorRtBackend inKernel = TensorRtBackend.open(x4, p, 0, options(1).withSettings(requested));
                 TensorRtBackend whole = TensorRtBackend.open(x4, p, 0, options(1))) {
                assertEquals(new PixelShuffleTail("body.34", 4, true), inKernel.shuffleTail().orElseThrow());
                assertTrue(whole.shuffleTail().isEmpty());
                inKernel.prepare(H, W);
                whole.prepare(H, W);
                assertTrue(inKernel.engineKey().orElseThrow().settings().shuffleInKernel());
                assertFalse(whole.engineKey().orElseThrow().settings().shuffleInKernel());
            }
        }
        try (TensorRtBackend noTail = TensorRtBackend.open(fixed(Precision.FP32), Precision.FP32, 0,
                options(1).withSettings(requested))) {
            noTail.prepare(16, 24);
            assertTrue(noTail.shuffleTail().isEmpty());
            assertEquals(EngineSettings.DEFAULTS, noTail.engineKey().orElseThrow().settings());
        }
    }

    @Test
    void aFixedShapeModelRunsAtItsSizeOnly() throws IOException {
        ModelRef m = fixed(Precision.FP32);
        compareWithCpu(m, Precision.FP32, 1, 16, 24, 1, FP32_PSNR);
        EngineError e = assertThrows(EngineError.class,
                () -> TensorRtBackend.open(m, Precision.FP32, 0, H, W, 1, cache()));
        assertEquals(ErrorCode.MODEL_SHAPE_MISMATCH, e.code(), e.oneLine());
        EngineError batch = assertThrows(EngineError.class,
                () -> TensorRtBackend.open(m, Precision.FP32, 0, 16, 24, 2, cache()));
        assertEquals(ErrorCode.MODEL_SHAPE_MISMATCH, batch.code(), batch.oneLine());
        try (TensorRtBackend pipeline = TensorRtBackend.open(m, Precision.FP32, 0,
                options(1).withBatchesUpTo(4))) {
            assertEquals(1, pipeline.maxBatch(), "the pipeline's --max-batch is ignored by a fixed-batch model");
        }
    }

    @Test
    void deferredOpenBuildsOnTheFirstRunAndAgainForANewSize() throws IOException {
        Precision p = Precision.FP16;
        try (TensorRtBackend trt = TensorRtBackend.openDeferred(compact(p), p, 0, 2, cache());
             SharedPools.Handle dev = DevicePools.device(0, 0);
             FrameBuffer in = dev.pool().acquire(p.tensorBytes(2, 2 * H, 2 * W));
             FrameBuffer out = dev.pool().acquire(p.tensorBytes(2, 4 * H, 4 * W))) {
            assertTrue(trt.profile().isEmpty(), "nothing built before the first run");
            trt.run(in, out, 1, H, W);
            assertEquals(ShapeProfile.forVideo(trt.model(), H, W, 2), trt.profile().orElseThrow());
            trt.run(in, out, 2, H, W); // same engine, other batch
            EngineCacheKey first = trt.engineKey().orElseThrow();
            trt.run(in, out, 1, 2 * H, 2 * W); // a new video size: another engine
            assertEquals(2 * H, trt.profile().orElseThrow().height());
            trt.run(in, out, 1, H, W); // back: still loaded
            assertEquals(first, trt.engineKey().orElseThrow());
            assertThrows(IllegalArgumentException.class, () -> trt.run(in, out, 3, H, W), "batch over the maximum");
        }
        try (TensorRtBackend again = TensorRtBackend.open(compact(p), p, 0, H, W, 2, cache())) {
            assertTrue(again.engineFromCache(), "both sizes were cached");
        }
    }

    @Test
    void inferenceBackendsOpensTheTensorRtBackendForThePipelinesBatch() throws IOException {
        String previous = System.getProperty(EngineCache.DIR_PROPERTY);
        System.setProperty(EngineCache.DIR_PROPERTY, dir.resolve("default-cache").toString());
        try (InferenceBackend b = InferenceBackends.open(BackendKind.TENSORRT, compact(Precision.FP16),
                Precision.FP16, 0, 1, 4)) {
            assertTrue(b instanceof TensorRtBackend, b.getClass().getName());
            assertEquals("tensorrt", b.name());
            assertEquals(4, ((TensorRtBackend) b).maxBatch());
        } finally {
            if (previous == null) {
                System.clearProperty(EngineCache.DIR_PROPERTY);
            } else {
                System.setProperty(EngineCache.DIR_PROPERTY, previous);
            }
        }
    }

    @Test
    void anEntryTensorRtCannotLoadIsDeletedAndRebuilt() throws IOException {
        EngineCache cache = cache();
        ModelRef m = compact(Precision.FP16);
        EngineCacheKey key;
        try (TensorRtBackend b = TensorRtBackend.open(m, Precision.FP16, 0, H, W, 1, cache)) {
            key = b.engineKey().orElseThrow();
        }
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);
        cache.store(key, garbage); // an intact cache file whose plan is not an engine
        try (TensorRtBackend b = TensorRtBackend.open(m, Precision.FP16, 0, H, W, 1, cache)) {
            assertFalse(b.engineFromCache(), "the bad plan was rebuilt");
        }
        byte[] rebuilt = cache.load(key).orElseThrow();
        assertFalse(java.util.Arrays.equals(garbage, rebuilt), "the entry now holds the rebuilt engine");
        try (TensorRtBackend b = TensorRtBackend.open(m, Precision.FP16, 0, H, W, 1, cache)) {
            assertTrue(b.engineFromCache());
        }
    }

    @Test
    void queuedRunsOnOneOrTwoStreamsWriteWhatAWaitedRunWrites() throws IOException {
        Precision p = Precision.FP16;
        ModelRef m = compact(p);
        int frames = 4;
        long inBytes = p.tensorBytes(1, H, W);
        long outBytes = p.tensorBytes(1, 2 * H, 2 * W);
        List<FrameBuffer> buffers = new ArrayList<>();
        try (TensorRtBackend one = TensorRtBackend.open(m, p, 0, options(1));
             TensorRtBackend two = TensorRtBackend.open(m, p, 0, options(1).withStreams(2));
             SharedPools.Handle dev = DevicePools.device(0, 0);
             SharedPools.Handle pinned = DevicePools.pinned(0)) {
            FrameBuffer[] in = new FrameBuffer[frames];
            FrameBuffer[] awaited = new FrameBuffer[frames];
            FrameBuffer[] queued = new FrameBuffer[frames];
            Random rnd = new Random(5);
            for (int i = 0; i < frames; i++) {
                FrameBuffer host = pinned.pool().acquire(inBytes);
                buffers.add(host);
                for (long e = 0; e < inBytes / 2; e++) {
                    host.hostBytes().putShort((int) (2 * e), Float16.fromFloat(rnd.nextFloat()));
                }
                in[i] = dev.pool().acquire(inBytes);
                awaited[i] = dev.pool().acquire(outBytes);
                queued[i] = dev.pool().acquire(outBytes);
                buffers.addAll(List.of(in[i], awaited[i], queued[i]));
                FrameTransfers.upload(host, in[i], inBytes, one.stream());
            }
            one.stream().synchronize();
            for (int i = 0; i < frames; i++) {
                one.run(in[i], awaited[i], 1, H, W);
            }
            for (TensorRtBackend backend : List.of(one, two)) {
                PendingRun[] runs = new PendingRun[frames];
                for (int i = 0; i < frames; i++) {
                    runs[i] = backend.submit(in[i], queued[i], 1, H, W);
                }
                for (PendingRun run : runs) {
                    assertTrue(run.await() > 0, "the run's GPU time");
                    assertTrue(run.isDone());
                }
                for (int i = 0; i < frames; i++) {
                    assertArrayEquals(download(awaited[i], outBytes, pinned, one), download(queued[i], outBytes, pinned,
                            one), "frame " + i + " on " + backend);
                }
            }
        } finally {
            buffers.forEach(FrameBuffer::close);
        }
    }

    @Test
    void aVramLimitWithoutRoomForTheActivationsIsVramExhausted() throws IOException {
        long limit = 4L << 20;
        try (SharedPools.Handle dev = DevicePools.device(0, limit)) {
            assumeTrue(dev.pool().budget().limitBytes() == limit, "the device pool was already open with another limit");
            try (TensorRtBackend trt = TensorRtBackend.open(compact(Precision.FP16), Precision.FP16, 0, options(1))) {
                EngineError e = assertThrows(EngineError.class, () -> trt.prepare(360, 640));
                System.out.println(e.oneLine());
                assertEquals(ErrorCode.VRAM_EXHAUSTED, e.code(), e.oneLine());
            }
        }
    }

    @Test
    void aChannelsLastEngineTakesEightChannelPixels() throws IOException {
        Precision p = Precision.FP16;
        EngineSettings hwc = EngineSettings.DEFAULTS.withIoFormat(EngineSettings.IoFormat.CHANNELS_LAST);
        try (TensorRtBackend trt = TensorRtBackend.open(compact(p), p, 0, options(1).withSettings(hwc));
             SharedPools.Handle dev = DevicePools.device(0, 0)) {
            assertEquals(8L * H * W * 2, trt.inputBytes(1, H, W));
            try (FrameBuffer nchw = dev.pool().acquire(p.tensorBytes(1, H, W));
                 FrameBuffer out = dev.pool().acquire(trt.outputBytes(1, H, W))) {
                assertThrows(IllegalArgumentException.class, () -> trt.run(nchw, out, 1, H, W), "an NCHW-sized input");
            }
            try (FrameBuffer in = dev.pool().acquire(trt.inputBytes(1, H, W));
                 FrameBuffer out = dev.pool().acquire(trt.outputBytes(1, H, W))) {
                trt.run(in, out, 1, H, W);
            }
        }
    }

    @Test
    void misuseIsRejected() throws IOException {
        ModelRef fp16 = compact(Precision.FP16);
        EngineError e = assertThrows(EngineError.class,
                () -> TensorRtBackend.openDeferred(fp16, Precision.FP32, 0, 1, cache()));
        assertEquals(ErrorCode.MODEL_PRECISION_MISMATCH, e.code());
        assertEquals(ErrorCode.DEVICE_UNAVAILABLE, assertThrows(EngineError.class,
                () -> TensorRtBackend.openDeferred(fp16, Precision.FP16, CudaRuntime.deviceCount(), 1, cache())).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EngineError.class,
                () -> TensorRtBackend.openDeferred(fp16, Precision.FP16, 0, 0, cache())).code());
        TensorRtBackend trt = TensorRtBackend.openDeferred(fp16, Precision.FP16, 0, 1, cache());
        try (BucketedBufferPool host = BucketedBufferPool.host("h");
             FrameBuffer in = host.acquire(Precision.FP16.tensorBytes(1, H, W));
             FrameBuffer out = host.acquire(Precision.FP16.tensorBytes(1, 2 * H, 2 * W))) {
            assertThrows(IllegalArgumentException.class, () -> trt.run(in, out, 1, H, W), "host tensors");
        } finally {
            trt.close();
            trt.close(); // harmless
        }
        assertThrows(IllegalStateException.class, () -> trt.prepare(H, W));
    }

    private static byte[] download(FrameBuffer device, long bytes, SharedPools.Handle pinned, TensorRtBackend on) {
        try (FrameBuffer host = pinned.pool().acquire(bytes)) {
            FrameTransfers.download(device, host, bytes, on.stream());
            on.stream().synchronize();
            byte[] out = new byte[(int) bytes];
            host.hostBytes().get(0, out);
            return out;
        }
    }

    /** Runs {@code m} on TensorRT (3 times on the same bindings) and on ORT CPU; asserts their PSNR. */
    private void compareWithCpu(ModelRef m, Precision p, int batch, int h, int w, int maxBatch, double minPsnr) {
        EngineCache cache = cache();
        try (TensorRtBackend trt = TensorRtBackend.open(m, p, 0, h, w, maxBatch, cache);
             OrtCpuBackend cpu = OrtCpuBackend.open(m, p, 2)) {
            int s = trt.model().scale();
            assertEquals(cpu.model().scale(), s);
            long inBytes = p.tensorBytes(batch, h, w);
            long outBytes = p.tensorBytes(batch, h * s, w * s);
            long outElements = 3L * batch * h * s * w * s;
            try (SharedPools.Handle dev = DevicePools.device(0, 0);
                 SharedPools.Handle pinned = DevicePools.pinned(0);
                 FrameBuffer hostIn = pinned.pool().acquire(inBytes);
                 FrameBuffer hostOut = pinned.pool().acquire(outBytes);
                 FrameBuffer cpuOut = pinned.pool().acquire(outBytes);
                 FrameBuffer deviceIn = dev.pool().acquire(inBytes);
                 FrameBuffer deviceOut = dev.pool().acquire(outBytes)) {
                ByteBuffer in = hostIn.hostBytes();
                Random rnd = new Random(17);
                for (long i = 0; i < 3L * batch * h * w; i++) {
                    float v = rnd.nextFloat();
                    if (p == Precision.FP32) {
                        in.putFloat((int) (4 * i), v);
                    } else {
                        in.putShort((int) (2 * i), Float16.fromFloat(v));
                    }
                }
                FrameTransfers.upload(hostIn, deviceIn, inBytes, trt.stream());
                for (int i = 0; i < 3; i++) {
                    trt.run(deviceIn, deviceOut, batch, h, w);
                }
                FrameTransfers.download(deviceOut, hostOut, outBytes, trt.stream());
                trt.stream().synchronize();
                cpu.run(hostIn, cpuOut, batch, h, w);
                double psnr = psnr(hostOut.hostBytes(), cpuOut.hostBytes(), p, outElements);
                System.out.printf("TensorRT vs ONNX Runtime CPU, %s %s batch %d %dx%d: PSNR %.1f dB%n", m, p, batch, w,
                        h, psnr);
                assertNotNull(trt.engineKey().orElse(null));
                assertTrue(psnr >= minPsnr, m + " " + p + " batch " + batch + ": PSNR " + psnr + " < " + minPsnr);
            }
        }
    }

    /** PSNR for peak 1 over {@code n} elements; +infinity when identical. Fails on non-finite output. */
    static double psnr(ByteBuffer a, ByteBuffer b, Precision p, long n) {
        double sum = 0;
        for (long i = 0; i < n; i++) {
            float x = p == Precision.FP32 ? a.getFloat((int) (4 * i)) : Float16.toFloat(a.getShort((int) (2 * i)));
            float y = p == Precision.FP32 ? b.getFloat((int) (4 * i)) : Float16.toFloat(b.getShort((int) (2 * i)));
            if (!Float.isFinite(x) || !Float.isFinite(y)) {
                throw new AssertionError("non-finite output at " + i + ": " + x + " vs " + y);
            }
            double d = x - y;
            sum += d * d;
        }
        double mse = sum / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
    }
}
