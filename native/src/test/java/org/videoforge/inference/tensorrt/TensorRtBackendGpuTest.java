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
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
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
import org.videoforge.inference.InferenceBackends;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.OrtCpuBackend;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.SharedPools;
import org.videoforge.model.OnnxGraphBuilder;
import org.videoforge.model.OnnxGraphBuilder.Dim;
import org.videoforge.model.SrVggNetCompact;

/**
 * The TensorRT backend on a GPU, against ONNX Runtime CPU (the oracle). Every test needs the
 * TensorRT 10 libraries and a CUDA device and is skipped without them. Tests that need an engine
 * are skipped (with the coded error as the reason) where TensorRT loads but cannot build one, as
 * with the Maven redistributable, which lacks the per-architecture builder resources; there,
 * {@link #whereBuildingFailsTheErrorIsCoded()} checks the error instead.
 */
class TensorRtBackendGpuTest {
    private static final int H = 48;
    private static final int W = 64;
    private static final String BUNDLED = "esrgan-slim-x2";

    @TempDir
    Path dir;

    private static void assumeTensorRt() {
        assumeTrue(TensorRtRuntime.available(), () -> "no TensorRT: " + TensorRtRuntime.unavailableReason());
        assumeTrue(CudaRuntime.available(), () -> "no CUDA device: " + CudaRuntime.unavailableReason());
    }

    private EngineCache cache() {
        return EngineCache.at(dir.resolve("engines"));
    }

    private ModelRef compact(Precision p) throws IOException {
        Path path = dir.resolve("compact-x2-" + p + ".onnx");
        Files.write(path, SrVggNetCompact.build(2, p, 21));
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

    /** Opens, or skips the test where this TensorRT cannot build engines for this GPU. */
    private static <T> T orSkipIfNoBuilds(Supplier<T> open) {
        try {
            return open.get();
        } catch (EngineError e) {
            if (e.code() == ErrorCode.BACKEND_UNAVAILABLE && e.getMessage().contains("could not build an engine")) {
                Assumptions.abort("TensorRT cannot build engines on this host: " + e.oneLine());
            }
            throw e;
        }
    }

    @Test
    void parsesTheBundledModel() {
        assumeTensorRt();
        for (Precision p : Precision.values()) {
            byte[] onnx = ModelRef.of(BUNDLED).load(p);
            List<String> io = TensorRtBackend.parseNetwork(onnx, BUNDLED, 0);
            System.out.println(BUNDLED + " " + p + " as TensorRT parses it: " + io);
            assertEquals(2, io.size(), io.toString());
            assertTrue(io.get(0).startsWith("input ") && io.get(0).contains("x3x"), io.toString());
            assertTrue(io.get(1).startsWith("output "), io.toString());
        }
    }

    @Test
    void theParserRejectsAnInvalidModelWithItsMessages() {
        assumeTensorRt();
        EngineError e = assertThrows(EngineError.class,
                () -> TensorRtBackend.parseNetwork("not an onnx model".getBytes(), "garbage", 0));
        assertEquals(ErrorCode.MODEL_INVALID, e.code(), e.oneLine());
        assertTrue(e.getMessage().contains("TensorRT's ONNX parser rejected model garbage"), e.getMessage());
    }

    @Test
    void buildsAnFp16EngineAndTheSecondOpenHitsTheCache() {
        assumeTensorRt();
        EngineCache cache = cache();
        ModelRef m = ModelRef.of(BUNDLED);
        EngineCacheKey key;
        try (TensorRtBackend first = orSkipIfNoBuilds(() -> TensorRtBackend.open(m, Precision.FP16, 0, H, W, 1, cache))) {
            assertFalse(first.engineFromCache(), "a cold cache builds");
            key = first.engineKey().orElseThrow();
            assertEquals(Precision.FP16, key.precision());
            assertEquals(ShapeProfile.forVideo(first.model(), H, W, 1), key.profile());
            assertEquals(first.device().computeCapability(), key.computeCapability());
            assertTrue(Files.isRegularFile(cache.path(key)), "the engine was stored: " + cache.path(key));
            assertEquals("tensorrt", first.name());
            assertEquals(MemoryKind.DEVICE, first.tensorMemory());
            assertEquals(2, first.model().scale());
        }
        long t0 = System.nanoTime();
        try (TensorRtBackend second = TensorRtBackend.open(m, Precision.FP16, 0, H, W, 1, cache)) {
            assertTrue(second.engineFromCache(), "the second open deserializes the cached engine");
            assertEquals(key, second.engineKey().orElseThrow());
        }
        System.out.printf("cached FP16 engine opened in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
    }

    @Test
    void theBundledFp16ModelMatchesOnnxRuntimeCpu() throws IOException {
        assumeTensorRt();
        double psnr = compareWithCpu(ModelRef.of(BUNDLED), Precision.FP16, 1, H, W, 1);
        assertTrue(psnr >= 40, "PSNR " + psnr);
    }

    @Test
    void aBatchOfThreeFp32MatchesOnnxRuntimeCpu() throws IOException {
        assumeTensorRt();
        double psnr = compareWithCpu(compact(Precision.FP32), Precision.FP32, 3, H, W, 4);
        assertTrue(psnr >= 40, "PSNR " + psnr);
    }

    @Test
    void aFixedShapeModelRunsAtItsSizeOnly() throws IOException {
        assumeTensorRt();
        ModelRef m = fixed(Precision.FP32);
        double psnr = compareWithCpu(m, Precision.FP32, 1, 16, 24, 1);
        assertTrue(psnr >= 40, "PSNR " + psnr);
        EngineError e = assertThrows(EngineError.class,
                () -> TensorRtBackend.open(m, Precision.FP32, 0, H, W, 1, cache()));
        assertEquals(ErrorCode.MODEL_SHAPE_MISMATCH, e.code(), e.oneLine());
        EngineError batch = assertThrows(EngineError.class,
                () -> TensorRtBackend.open(m, Precision.FP32, 0, 16, 24, 2, cache()));
        assertEquals(ErrorCode.MODEL_SHAPE_MISMATCH, batch.code(), batch.oneLine());
    }

    @Test
    void deferredOpenBuildsOnTheFirstRunAndAgainForANewSize() throws IOException {
        assumeTensorRt();
        EngineCache cache = cache();
        Precision p = Precision.FP16;
        try (TensorRtBackend trt = TensorRtBackend.openDeferred(compact(p), p, 0, 2, cache);
             SharedPools.Handle dev = DevicePools.device(0, 0);
             FrameBuffer in = dev.pool().acquire(p.tensorBytes(2, 2 * H, 2 * W));
             FrameBuffer out = dev.pool().acquire(p.tensorBytes(2, 4 * H, 4 * W))) {
            assertTrue(trt.profile().isEmpty(), "nothing built before the first run");
            orSkipIfNoBuilds(() -> {
                trt.run(in, out, 1, H, W);
                return null;
            });
            assertEquals(ShapeProfile.forVideo(trt.model(), H, W, 2), trt.profile().orElseThrow());
            trt.run(in, out, 2, H, W); // same engine, other batch
            EngineCacheKey first = trt.engineKey().orElseThrow();
            trt.run(in, out, 1, 2 * H, 2 * W); // a new video size: another engine
            assertEquals(2 * H, trt.profile().orElseThrow().height());
            trt.run(in, out, 1, H, W); // back: from the cache now
            assertTrue(trt.engineFromCache());
            assertEquals(first, trt.engineKey().orElseThrow());
            assertThrows(IllegalArgumentException.class, () -> trt.run(in, out, 3, H, W), "batch over the maximum");
        }
    }

    @Test
    void inferenceBackendsOpensTheTensorRtBackend() throws IOException {
        assumeTensorRt();
        String previous = System.getProperty(EngineCache.DIR_PROPERTY);
        System.setProperty(EngineCache.DIR_PROPERTY, dir.resolve("default-cache").toString());
        try (InferenceBackend b = InferenceBackends.open(BackendKind.TENSORRT, compact(Precision.FP16),
                Precision.FP16, 0, 1)) {
            assertTrue(b instanceof TensorRtBackend, b.getClass().getName());
            assertEquals("tensorrt", b.name());
            assertEquals(1, ((TensorRtBackend) b).maxBatch());
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
        assumeTensorRt();
        EngineCache cache = cache();
        ModelRef m = compact(Precision.FP16);
        EngineCacheKey key;
        try (TensorRtBackend b = orSkipIfNoBuilds(() -> TensorRtBackend.open(m, Precision.FP16, 0, H, W, 1, cache))) {
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
    void whereBuildingFailsTheErrorIsCoded() throws IOException {
        assumeTensorRt();
        ModelRef m = compact(Precision.FP16);
        TensorRtBackend built;
        try {
            built = TensorRtBackend.open(m, Precision.FP16, 0, H, W, 1, cache());
        } catch (EngineError e) {
            System.out.println("engine build here: " + e.oneLine());
            assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code(), e.oneLine());
            assertTrue(e.getMessage().contains("TensorRT could not build an engine for this GPU"), e.getMessage());
            assertTrue(e.getMessage().matches("(?s).*sm_\\d+.*"), e.getMessage());
            assertTrue(e.getMessage().contains("--backend cuda"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("engines")) && dir.resolve("engines").toFile().list().length > 0,
                    "nothing cached for a failed build");
            return;
        }
        built.close();
        Assumptions.abort("TensorRT builds engines on this host");
    }

    @Test
    void misuseIsRejected() throws IOException {
        assumeTensorRt();
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

    /** Runs {@code m} on TensorRT (3 times on the same bindings) and on ORT CPU; returns the PSNR. */
    private double compareWithCpu(ModelRef m, Precision p, int batch, int h, int w, int maxBatch) {
        EngineCache cache = cache();
        try (TensorRtBackend trt = orSkipIfNoBuilds(() -> TensorRtBackend.open(m, p, 0, h, w, maxBatch, cache));
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
                return psnr;
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

    @Test
    void psnrIsInfiniteForEqualBuffers() {
        ByteBuffer a = ByteBuffer.allocate(16);
        assertEquals(Double.POSITIVE_INFINITY, psnr(a, a.duplicate(), Precision.FP32, 4));
        assertArrayEquals(new byte[16], a.array());
    }
}
