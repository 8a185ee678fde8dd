package org.videoforge.gpu;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.Loader;
import org.videoforge.color.CpuColorConverter;
import org.videoforge.color.CpuColorConverter.TensorView;
import org.videoforge.color.YuvCoefficients;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.Float16;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.OrtCudaBackend;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.SharedPools;
import org.videoforge.model.SrVggNetCompact;

/**
 * A first check on a GPU machine, before the test suite: prints what CUDA sees, compiles the
 * colour kernels, converts a 1080p NV12 frame on the GPU and compares it with the CPU, times the
 * kernel, and (with a CUDA-enabled ONNX Runtime) times SRVGGNetCompact x2 FP16 at 1080p.
 * Exit status 0 only if every step passed.
 *
 * <pre>
 * cd native &amp;&amp; mvn -o -q test-compile &amp;&amp; mvn -o -q dependency:build-classpath -Dmdep.outputFile=cp.txt \
 *   &amp;&amp; java -cp target/test-classes:target/classes:$(cat cp.txt) org.videoforge.gpu.GpuSmoke
 * </pre>
 */
public final class GpuSmoke {
    private static int failures;

    private GpuSmoke() {
    }

    interface Step {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        System.out.println("java " + System.getProperty("java.version") + ", javacpp " + Loader.getVersion()
                + ", platform " + Loader.getPlatform());
        System.out.println("CUDA available: " + CudaRuntime.available() + ", devices: " + CudaRuntime.deviceCount()
                + (CudaRuntime.available() ? "" : " (" + CudaRuntime.unavailableReason() + ")"));
        if (!CudaRuntime.available()) {
            System.exit(2);
        }
        try (CudaDevice device = CudaDevice.acquire(0)) {
            for (int i = 0; i < CudaRuntime.deviceCount(); i++) {
                try (CudaDevice d = CudaDevice.acquire(i)) {
                    System.out.printf("  %s, %.1f GiB free%n", d, d.freeMemory() / 1073741824.0);
                }
            }
            step("colour kernels 1920x1080", () -> colourKernels(device));
            step("ONNX Runtime CUDA SRVGGNetCompact x2 FP16 1080p", GpuSmoke::inference);
        }
        System.out.println("device allocations: " + DeviceAllocations.allocations() + ", host copies: "
                + HostCopies.count());
        System.out.println(failures == 0 ? "SMOKE PASS" : "SMOKE FAIL (" + failures + ")");
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void step(String name, Step s) {
        long t0 = System.nanoTime();
        System.out.println("=== " + name);
        try {
            s.run();
            System.out.printf("PASS %s (%.1f s)%n", name, (System.nanoTime() - t0) / 1e9);
        } catch (Throwable t) {
            failures++;
            System.out.printf("FAIL %s: %s%n", name, t);
            t.printStackTrace(System.out);
        }
    }

    private static void colourKernels(CudaDevice device) {
        int w = 1920;
        int h = 1080;
        PixelFormat fmt = PixelFormat.NV12;
        Precision p = Precision.FP32;
        ColorSpec spec = ColorSpec.of(ColorMatrix.BT709, ColorRange.LIMITED);
        YuvCoefficients k = YuvCoefficients.of(spec, 8);
        long frameBytes = fmt.frameBytes(w, h);
        long tensorBytes = p.tensorBytes(1, h, w);
        try (ColorKernels kernels = ColorKernels.load(device);
             CudaStream s = CudaStream.create(device);
             CudaEvent start = CudaEvent.create(device);
             CudaEvent end = CudaEvent.create(device);
             SharedPools.Handle dev = DevicePools.device(0, 0);
             SharedPools.Handle pinned = DevicePools.pinned(0);
             FrameBuffer hostFrame = pinned.pool().acquire(frameBytes);
             FrameBuffer backFrame = pinned.pool().acquire(frameBytes);
             FrameBuffer cpuFrame = pinned.pool().acquire(frameBytes);
             FrameBuffer deviceFrame = dev.pool().acquire(frameBytes);
             FrameBuffer deviceTensor = dev.pool().acquire(tensorBytes);
             FrameBuffer gpuTensor = pinned.pool().acquire(tensorBytes);
             FrameBuffer cpuTensor = pinned.pool().acquire(tensorBytes)) {
            System.out.println("  compiled " + ColorKernels.SOURCE);
            ByteBuffer frame = hostFrame.hostBytes();
            Random rnd = new Random(42);
            for (int i = 0; i < frameBytes; i++) {
                frame.put(i, (byte) rnd.nextInt(256));
            }
            FrameTransfers.upload(hostFrame, deviceFrame, frameBytes, s);
            kernels.yuvToRgbPlanar(deviceFrame, fmt, w, h, k, p, deviceTensor, 0, s);
            FrameTransfers.download(deviceTensor, gpuTensor, tensorBytes, s);
            s.synchronize();
            CpuColorConverter cpu = new CpuColorConverter();
            cpu.yuvToRgbPlanar(frame, fmt, w, h, spec, new TensorView(cpuTensor.hostBytes(), 0, p));
            float maxDiff = 0;
            ByteBuffer g = gpuTensor.hostBytes();
            ByteBuffer c = cpuTensor.hostBytes();
            for (int i = 0; i < 3 * w * h; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(g.getFloat(4 * i) - c.getFloat(4 * i)));
            }
            System.out.println("  NV12->RGB FP32 max |GPU-CPU| = " + maxDiff);
            if (maxDiff > 1e-5f) {
                throw new AssertionError("yuv->rgb mismatch " + maxDiff);
            }

            kernels.rgbPlanarToYuv(deviceTensor, 0, p, w, h, k, fmt, deviceFrame, s);
            FrameTransfers.download(deviceFrame, backFrame, frameBytes, s);
            s.synchronize();
            cpu.rgbPlanarToYuv(new TensorView(cpuTensor.hostBytes(), 0, p), w, h, spec, fmt, cpuFrame.hostBytes());
            long differ = 0;
            for (int i = 0; i < frameBytes; i++) {
                if (backFrame.hostBytes().get(i) != cpuFrame.hostBytes().get(i)) {
                    differ++;
                }
            }
            System.out.println("  RGB->NV12 codes differing from the CPU: " + differ + " of " + frameBytes);
            if (differ > 0) {
                throw new AssertionError("rgb->yuv mismatch in " + differ + " codes");
            }

            int n = 50;
            start.record(s);
            for (int i = 0; i < n; i++) {
                kernels.yuvToRgbPlanar(deviceFrame, fmt, w, h, k, Precision.FP16, deviceTensor, 0, s);
            }
            end.record(s);
            end.synchronize();
            System.out.printf("  NV12->RGB FP16 1080p: %.4f ms per frame (mean of %d)%n", end.millisSince(start) / n, n);
            start.record(s);
            for (int i = 0; i < n; i++) {
                kernels.rgbPlanarToYuv(deviceTensor, 0, Precision.FP16, w, h, k, fmt, deviceFrame, s);
            }
            end.record(s);
            end.synchronize();
            System.out.printf("  RGB FP16->NV12 1080p: %.4f ms per frame (mean of %d)%n", end.millisSince(start) / n, n);
        }
    }

    private static void inference() throws Exception {
        if (!OrtCudaBackend.cudaProviderCompiledIn()) {
            throw new IllegalStateException("this ONNX Runtime has no CUDA execution provider");
        }
        Path model = Files.createTempFile("smoke-compact-x2-fp16", ".onnx");
        Files.write(model, SrVggNetCompact.build(2, Precision.FP16, 1));
        int w = 1920;
        int h = 1080;
        Precision p = Precision.FP16;
        try (InferenceBackend cuda = OrtCudaBackend.open(ModelRef.of(model.toString()), p, 0);
             SharedPools.Handle dev = DevicePools.device(0, 0);
             SharedPools.Handle pinned = DevicePools.pinned(0);
             FrameBuffer hostIn = pinned.pool().acquire(p.tensorBytes(1, h, w));
             FrameBuffer hostOut = pinned.pool().acquire(p.tensorBytes(1, 2 * h, 2 * w));
             FrameBuffer in = dev.pool().acquire(p.tensorBytes(1, h, w));
             FrameBuffer out = dev.pool().acquire(p.tensorBytes(1, 2 * h, 2 * w))) {
            System.out.println("  model " + cuda.model());
            ByteBuffer b = hostIn.hostBytes();
            Random rnd = new Random(1);
            for (int i = 0; i < 3 * w * h; i++) {
                b.putShort(2 * i, Float16.fromFloat(rnd.nextFloat()));
            }
            OrtCudaBackend backend = (OrtCudaBackend) cuda;
            FrameTransfers.upload(hostIn, in, p.tensorBytes(1, h, w), backend.stream());
            backend.stream().synchronize();
            long t0 = System.nanoTime();
            cuda.run(in, out, 1, h, w);
            System.out.printf("  first run %.1f ms (cuDNN exhaustive search)%n", (System.nanoTime() - t0) / 1e6);
            int n = 20;
            long allocations = DeviceAllocations.allocations();
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                cuda.run(in, out, 1, h, w);
            }
            System.out.printf("  steady state %.2f ms per 1080p frame (mean of %d), cudaMalloc during: %d%n",
                    (System.nanoTime() - t0) / 1e6 / n, n, DeviceAllocations.allocations() - allocations);
            FrameTransfers.download(out, hostOut, p.tensorBytes(1, 2 * h, 2 * w), backend.stream());
            backend.stream().synchronize();
            ByteBuffer o = hostOut.hostBytes();
            double sum = 0;
            for (int i = 0; i < 4096; i++) {
                float v = Float16.toFloat(o.getShort(2 * i));
                if (!Float.isFinite(v)) {
                    throw new AssertionError("non-finite output at " + i);
                }
                sum += v;
            }
            System.out.printf("  output mean of first 4096 values %.4f%n", sum / 4096);
        } finally {
            Files.deleteIfExists(model);
        }
    }
}
