package org.videoforge.inference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoforge.device.CudaFrameDevice;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.inference.backends.InferenceBackends;
import org.videoforge.inference.tensorrt.EngineCache;
import org.videoforge.inference.tensorrt.TensorRtRuntime;
import org.videoforge.inference.tiling.TilePlan;
import org.videoforge.inference.tiling.TiledInference;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.model.SrVggNetCompact;
import org.videoforge.testing.GpuAndHost;

/**
 * Micro-batches and tiles on ONNX Runtime CUDA and on TensorRT, each against the plain one-frame run
 * of the same backend on the same GPU. TensorRT's engines go to a temporary cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaBatchAndTileGpuTest {
    private static final int W = 200;
    private static final int H = 120;

    @TempDir
    Path dir;

    @TempDir
    static Path engines;

    private GpuAndHost devices;
    private CudaFrameDevice gpu;

    private String cacheProperty;

    @BeforeAll
    void open() {
        devices = GpuAndHost.openIfAvailable();
        gpu = devices == null ? null : devices.gpu;
        cacheProperty = System.getProperty(EngineCache.DIR_PROPERTY);
        System.setProperty(EngineCache.DIR_PROPERTY, engines.toString());
    }

    @BeforeEach
    void gpu() {
        assumeTrue(devices != null, () -> "no CUDA device: " + CudaRuntime.unavailableReason());
    }

    @AfterAll
    void close() {
        if (cacheProperty == null) {
            System.clearProperty(EngineCache.DIR_PROPERTY);
        } else {
            System.setProperty(EngineCache.DIR_PROPERTY, cacheProperty);
        }
        if (devices != null) {
            devices.close();
        }
    }

    static Stream<Arguments> backends() {
        return Stream.of(BackendKind.CUDA, BackendKind.TENSORRT)
                .flatMap(k -> Stream.of(Precision.values()).map(p -> Arguments.of(k, p)));
    }

    /** The backend, for batches of up to 3; skips where it cannot run here. */
    private InferenceBackend open(BackendKind kind, Precision p) throws IOException {
        if (kind == BackendKind.CUDA) {
            assumeTrue(OrtCudaBackend.cudaProviderCompiledIn(), "no CUDA execution provider in this ONNX Runtime");
        } else {
            assumeTrue(TensorRtRuntime.available(), () -> "no TensorRT: " + TensorRtRuntime.unavailableReason());
        }
        return InferenceBackends.open(kind, model(p), p, 0, 1, 3);
    }

    private ModelRef model(Precision p) throws IOException {
        return ModelRef.of(Files.write(dir.resolve("compact-" + p + ".onnx"), SrVggNetCompact.build(4, p, 3)).toString());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aBatchOfThreeMatchesThreeSingleRuns(BackendKind kind, Precision p) throws IOException {
        List<FrameBuffer> inputs = new ArrayList<>();
        List<FrameBuffer> outputs = new ArrayList<>();
        try (InferenceBackend backend = open(kind, p)) {
            try {
                for (int i = 0; i < 3; i++) {
                    inputs.add(upload(p, 20 + i));
                    outputs.add(gpu.acquire(p.tensorBytes(1, 4 * H, 4 * W)));
                }
                BatchedInference.run(backend, gpu, inputs, outputs, H, W);
                for (int i = 0; i < 3; i++) {
                    try (FrameBuffer alone = gpu.acquire(p.tensorBytes(1, 4 * H, 4 * W))) {
                        backend.run(inputs.get(i), alone, 1, H, W);
                        double psnr = TestTensors.psnr(download(alone, p), download(outputs.get(i), p));
                        System.out.printf("%s %s batch of 3 vs single, frame %d: PSNR %.1f dB%n", kind, p, i, psnr);
                        assertTrue(psnr >= 60, "frame " + i + ": PSNR " + psnr);
                    }
                }
            } finally {
                inputs.forEach(FrameBuffer::close);
                outputs.forEach(FrameBuffer::close);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void tilesOnTheGpuMatchTheWholeFrame(BackendKind kind, Precision p) throws IOException {
        TilePlan plan = TilePlan.of(W, H, 96, 16, 4);
        try (InferenceBackend backend = open(kind, p);
             FrameBuffer in = upload(p, 7);
             FrameBuffer whole = gpu.acquire(p.tensorBytes(1, 4 * H, 4 * W));
             FrameBuffer tiled = gpu.acquire(p.tensorBytes(1, 4 * H, 4 * W))) {
            backend.run(in, whole, 1, H, W);
            TiledInference.run(backend, gpu, plan, in, tiled, H, W);
            double psnr = TestTensors.psnr(download(whole, p), download(tiled, p));
            System.out.printf("%s %s tiled (%s) vs whole frame: PSNR %.1f dB%n", kind, p, plan, psnr);
            assertTrue(psnr >= 45, "PSNR " + psnr);
        }
    }

    private FrameBuffer upload(Precision p, long seed) {
        long bytes = p.tensorBytes(1, H, W);
        FrameBuffer d = gpu.acquire(bytes);
        try (FrameBuffer h = devices.cpu.acquire(bytes)) {
            TestTensors.fillImage(h, p, W, H, seed);
            devices.put(h, d, bytes);
        }
        return d;
    }

    private float[] download(FrameBuffer d, Precision p) {
        long bytes = p.tensorBytes(1, 4 * H, 4 * W);
        try (FrameBuffer h = devices.cpu.acquire(bytes)) {
            devices.get(d, h, bytes);
            return TestTensors.read(h, p, 3 * 16 * H * W);
        }
    }
}
