package org.videoforge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.onnxruntime.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.color.CpuColorConverter;
import org.videoforge.color.YuvCoefficients;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.Float16;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.ColorKernels;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.gpu.DevicePools;
import org.videoforge.gpu.FrameTransfers;
import org.videoforge.inference.backends.InferenceBackends;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.SharedPools;
import org.videoforge.model.SrVggNetCompact;

/**
 * The CUDA backend against the CPU backend (the oracle) on the same generated SRVGGNetCompact x2
 * model and input. GPU tests skip without a CUDA device and a CUDA-enabled ONNX Runtime; the
 * unavailability tests run where those are missing.
 */
class OrtCudaBackendTest {
    private static final int H = 48;
    private static final int W = 64;

    @TempDir
    Path dir;

    private ModelRef model(Precision p) throws IOException {
        Path path = dir.resolve("compact-x2-" + p + ".onnx");
        Files.write(path, SrVggNetCompact.build(2, p, 21));
        return ModelRef.of(path.toString());
    }

    private static void assumeCudaBackend() {
        assumeTrue(CudaRuntime.available(), () -> "no CUDA device: " + CudaRuntime.unavailableReason());
        assumeTrue(OrtCudaBackend.cudaProviderCompiledIn(), "ONNX Runtime build without the CUDA execution provider");
    }

    /** Runs on CPU-only machines: asking for CUDA is a coded error, not a crash. */
    @Test
    void withoutCudaTheCudaBackendIsUnavailable() throws IOException {
        assumeFalse(CudaRuntime.available() && OrtCudaBackend.cudaProviderCompiledIn(), "CUDA backend is usable here");
        ModelRef m = model(Precision.FP32);
        EngineError e = assertThrows(EngineError.class,
                () -> InferenceBackends.open(BackendKind.CUDA, m, Precision.FP32, 0, 1));
        assertTrue(e.code() == ErrorCode.BACKEND_UNAVAILABLE || e.code() == ErrorCode.DEVICE_UNAVAILABLE, e.oneLine());
        System.out.println("CUDA backend here: " + e.oneLine());
    }

    /** Runs with a CPU-only ONNX Runtime: appending the CUDA provider is BACKEND_UNAVAILABLE. */
    @Test
    void cpuOnlyOnnxRuntimeCannotAppendTheCudaProvider() {
        assumeFalse(OrtCudaBackend.cudaProviderCompiledIn(), "this ONNX Runtime has the CUDA provider");
        EngineError missing = assertThrows(EngineError.class, OrtCudaBackend::requireCudaProvider);
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, missing.code());
        try (SessionOptions so = OrtSessions.baseOptions(1)) {
            EngineError e = assertThrows(EngineError.class,
                    () -> OrtCudaBackend.appendCudaProvider(so, 0, Precision.FP16, 0));
            assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
        }
    }

    @Test
    void outOfRangeDeviceIsDeviceUnavailable() throws IOException {
        assumeCudaBackend();
        ModelRef m = model(Precision.FP32);
        EngineError e = assertThrows(EngineError.class,
                () -> OrtCudaBackend.open(m, Precision.FP32, CudaRuntime.deviceCount()));
        assertEquals(ErrorCode.DEVICE_UNAVAILABLE, e.code());
    }

    @Test
    void fp32MatchesTheCpuBackend() throws IOException {
        assumeCudaBackend();
        compareWithCpu(Precision.FP32, 1, 45);
    }

    @Test
    void fp16MatchesTheCpuBackend() throws IOException {
        assumeCudaBackend();
        compareWithCpu(Precision.FP16, 1, 40);
    }

    @Test
    void aBatchOfThreeMatchesTheCpuBackend() throws IOException {
        assumeCudaBackend();
        compareWithCpu(Precision.FP16, 3, 40);
    }

    @Test
    void wrongPrecisionAndHostTensorsAreRejected() throws IOException {
        assumeCudaBackend();
        ModelRef fp16 = model(Precision.FP16);
        EngineError e = assertThrows(EngineError.class, () -> OrtCudaBackend.open(fp16, Precision.FP32, 0));
        assertEquals(ErrorCode.MODEL_PRECISION_MISMATCH, e.code());
        try (OrtCudaBackend cuda = OrtCudaBackend.open(fp16, Precision.FP16, 0);
             BucketedBufferPool host = BucketedBufferPool.host("h");
             FrameBuffer in = host.acquire(Precision.FP16.tensorBytes(1, H, W));
             FrameBuffer out = host.acquire(Precision.FP16.tensorBytes(1, 2 * H, 2 * W))) {
            assertEquals(MemoryKind.DEVICE, cuda.tensorMemory());
            assertEquals("onnxruntime-cuda", cuda.name());
            assertEquals(2, cuda.model().scale());
            assertThrows(IllegalArgumentException.class, () -> cuda.run(in, out, 1, H, W));
        }
    }

    /**
     * The GPU-resident chain: NV12 frame -> colour kernel on the backend's stream -> inference,
     * with no host synchronisation between them (ordering comes from user_compute_stream), against
     * the CPU chain: CpuColorConverter -> OrtCpuBackend.
     */
    @Test
    void preprocessingOnTheBackendStreamFeedsInferenceWithoutASync() throws IOException {
        assumeCudaBackend();
        Precision p = Precision.FP16;
        ModelRef m = model(p);
        ColorSpec spec = ColorSpec.of(ColorMatrix.BT709, ColorRange.LIMITED);
        long frameBytes = PixelFormat.NV12.frameBytes(W, H);
        long inBytes = p.tensorBytes(1, H, W);
        long outBytes = p.tensorBytes(1, 2 * H, 2 * W);
        try (OrtCudaBackend cuda = OrtCudaBackend.open(m, p, 0);
             OrtCpuBackend cpu = OrtCpuBackend.open(m, p, 2);
             ColorKernels kernels = ColorKernels.load(cuda.device());
             SharedPools.Handle dev = DevicePools.device(0, 0);
             SharedPools.Handle pinned = DevicePools.pinned(0);
             FrameBuffer hostFrame = pinned.pool().acquire(frameBytes);
             FrameBuffer deviceFrame = dev.pool().acquire(frameBytes);
             FrameBuffer deviceIn = dev.pool().acquire(inBytes);
             FrameBuffer deviceOut = dev.pool().acquire(outBytes);
             FrameBuffer gpuOut = pinned.pool().acquire(outBytes);
             FrameBuffer cpuIn = pinned.pool().acquire(inBytes);
             FrameBuffer cpuOut = pinned.pool().acquire(outBytes)) {
            Random rnd = new Random(9);
            ByteBuffer frame = hostFrame.hostBytes();
            for (int i = 0; i < frameBytes; i++) {
                frame.put(i, (byte) (16 + rnd.nextInt(220)));
            }
            FrameTransfers.upload(hostFrame, deviceFrame, frameBytes, cuda.stream());
            kernels.yuvToRgbPlanar(deviceFrame, PixelFormat.NV12, W, H, YuvCoefficients.of(spec, 8), p, deviceIn, 0,
                    cuda.stream());
            cuda.run(deviceIn, deviceOut, 1, H, W);
            FrameTransfers.download(deviceOut, gpuOut, outBytes, cuda.stream());
            cuda.stream().synchronize();

            new CpuColorConverter().yuvToRgbPlanar(frame, PixelFormat.NV12, W, H, spec,
                    new CpuColorConverter.TensorView(cpuIn.hostBytes(), 0, p));
            cpu.run(cpuIn, cpuOut, 1, H, W);
            double psnr = psnr(gpuOut.hostBytes(), cpuOut.hostBytes(), p, 3L * 4 * H * W);
            System.out.printf("NV12 -> GPU colour -> CUDA %s vs CPU chain: PSNR %.1f dB%n", p, psnr);
            assertTrue(psnr >= 40, "PSNR " + psnr);
        }
    }

    /**
     * Queued runs (submit returns before the GPU is done) give the same bytes as runs awaited one
     * by one, however many are queued.
     */
    @Test
    void queuedRunsEqualAwaitedRuns() throws IOException {
        assumeCudaBackend();
        Precision p = Precision.FP16;
        ModelRef m = model(p);
        long inBytes = p.tensorBytes(1, H, W);
        long outBytes = p.tensorBytes(1, 2 * H, 2 * W);
        int frames = 3;
        List<FrameBuffer> buffers = new ArrayList<>();
        try (OrtCudaBackend cuda = OrtCudaBackend.open(m, p, 0);
             SharedPools.Handle dev = DevicePools.device(0, 0);
             SharedPools.Handle pinned = DevicePools.pinned(0)) {
            try {
                Random rnd = new Random(23);
                FrameBuffer[] in = new FrameBuffer[frames];
                FrameBuffer[] awaited = new FrameBuffer[frames];
                FrameBuffer[] queued = new FrameBuffer[frames];
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
                    FrameTransfers.upload(host, in[i], inBytes, cuda.stream());
                }
                cuda.stream().synchronize();
                for (int i = 0; i < frames; i++) {
                    cuda.run(in[i], awaited[i], 1, H, W);
                }
                for (int round = 0; round < 4; round++) {
                    PendingRun[] runs = new PendingRun[frames];
                    for (int i = 0; i < frames; i++) {
                        runs[i] = cuda.submit(in[i], queued[i], 1, H, W);
                    }
                    for (PendingRun run : runs) {
                        assertTrue(run.await() > 0, "the run's GPU time");
                        assertTrue(run.isDone());
                    }
                }
                for (int i = 0; i < frames; i++) {
                    FrameBuffer a = pinned.pool().acquire(outBytes);
                    FrameBuffer q = pinned.pool().acquire(outBytes);
                    buffers.addAll(List.of(a, q));
                    FrameTransfers.download(awaited[i], a, outBytes, cuda.stream());
                    FrameTransfers.download(queued[i], q, outBytes, cuda.stream());
                    cuda.stream().synchronize();
                    assertEquals(a.hostBytes().limit((int) outBytes), q.hostBytes().limit((int) outBytes), "frame " + i + ": queued run wrote what an awaited one did");
                }
            } finally {
                buffers.forEach(FrameBuffer::close);
            }
        }
    }

    private void compareWithCpu(Precision p, int batch, double minPsnr) throws IOException {
        ModelRef m = model(p);
        long inBytes = p.tensorBytes(batch, H, W);
        long outBytes = p.tensorBytes(batch, 2 * H, 2 * W);
        long outElements = 3L * batch * 4 * H * W;
        try (OrtCudaBackend cuda = OrtCudaBackend.open(m, p, 0);
             OrtCpuBackend cpu = OrtCpuBackend.open(m, p, 2);
             SharedPools.Handle dev = DevicePools.device(0, 0);
             SharedPools.Handle pinned = DevicePools.pinned(0);
             FrameBuffer hostIn = pinned.pool().acquire(inBytes);
             FrameBuffer hostOut = pinned.pool().acquire(outBytes);
             FrameBuffer cpuOut = pinned.pool().acquire(outBytes);
             FrameBuffer deviceIn = dev.pool().acquire(inBytes);
             FrameBuffer deviceOut = dev.pool().acquire(outBytes)) {
            assertEquals(2, cuda.model().scale());
            ByteBuffer in = hostIn.hostBytes();
            Random rnd = new Random(17);
            for (long i = 0; i < 3L * batch * H * W; i++) {
                float v = rnd.nextFloat();
                if (p == Precision.FP32) {
                    in.putFloat((int) (4 * i), v);
                } else {
                    in.putShort((int) (2 * i), Float16.fromFloat(v));
                }
            }
            FrameTransfers.upload(hostIn, deviceIn, inBytes, cuda.stream());
            for (int i = 0; i < 3; i++) { // repeated runs on the same bindings (steady state)
                cuda.run(deviceIn, deviceOut, batch, H, W);
            }
            FrameTransfers.download(deviceOut, hostOut, outBytes, cuda.stream());
            cuda.stream().synchronize();
            cpu.run(hostIn, cpuOut, batch, H, W);
            double psnr = psnr(hostOut.hostBytes(), cpuOut.hostBytes(), p, outElements);
            System.out.printf("CUDA vs CPU backend, %s batch %d: PSNR %.1f dB%n", p, batch, psnr);
            assertTrue(psnr >= minPsnr, p + " batch " + batch + " PSNR " + psnr + " < " + minPsnr);
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
