package org.videoforge.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoforge.color.CpuColorConverter;
import org.videoforge.color.CpuColorConverter.TensorView;
import org.videoforge.color.YuvCoefficients;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.Float16;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.SharedPools;

/**
 * The CUDA colour kernels against the CPU oracle, {@link CpuColorConverter}: every matrix, range,
 * format and precision, at even, odd and 1080p sizes, on random frames and tensors (tensors with
 * out-of-range values and values on the half-code rounding boundaries). The tensor goes into the
 * second slot of a two-frame batch buffer, so the offset is exercised too.
 */
class ColorKernelsTest {
    private static CudaDevice device;
    private static CudaStream stream;
    private static ColorKernels kernels;
    private static SharedPools.Handle devicePool;
    private static SharedPools.Handle pinnedPool;
    private final CpuColorConverter cpu = new CpuColorConverter();

    @BeforeAll
    static void open() {
        if (!CudaRuntime.available()) {
            return; // each test then reports itself skipped
        }
        device = CudaDevice.acquire(0);
        stream = CudaStream.create(device);
        kernels = ColorKernels.load(device);
        devicePool = DevicePools.device(0, 0);
        pinnedPool = DevicePools.pinned(0);
    }

    @AfterAll
    static void close() {
        for (AutoCloseable c : new AutoCloseable[] {pinnedPool, devicePool, kernels, stream, device}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    static Stream<Arguments> frames() {
        List<Arguments> all = new ArrayList<>();
        int[][] sizes = {{1920, 1080}, {35, 19}, {34, 20}, {1, 1}, {3, 5}};
        for (PixelFormat f : PixelFormat.values()) {
            for (int[] s : sizes) {
                all.add(Arguments.of(f, s[0], s[1]));
            }
        }
        return all.stream();
    }

    private static List<ColorSpec> specs() {
        List<ColorSpec> all = new ArrayList<>();
        for (ColorMatrix m : ColorMatrix.values()) {
            for (ColorRange r : ColorRange.values()) {
                all.add(ColorSpec.of(m, r));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("frames")
    void yuvToRgbMatchesTheCpuConverter(PixelFormat fmt, int w, int h) {
        Gpu.assume();
        long frameBytes = fmt.frameBytes(w, h);
        long maxTensor = Precision.FP32.tensorBytes(1, h, w);
        try (FrameBuffer hostFrame = pinnedPool.pool().acquire(frameBytes);
             FrameBuffer deviceFrame = devicePool.pool().acquire(frameBytes);
             FrameBuffer deviceTensor = devicePool.pool().acquire(2 * maxTensor);
             FrameBuffer gpuResult = pinnedPool.pool().acquire(2 * maxTensor);
             FrameBuffer cpuResult = pinnedPool.pool().acquire(2 * maxTensor)) {
            ByteBuffer frame = hostFrame.hostBytes();
            randomFrame(frame, fmt, frameBytes, new Random(w * 31L + h));
            FrameTransfers.upload(hostFrame, deviceFrame, frameBytes, stream);
            for (ColorSpec spec : specs()) {
                YuvCoefficients k = YuvCoefficients.of(spec, fmt.bitDepth());
                for (Precision p : Precision.values()) {
                    long offset = p.tensorBytes(1, h, w); // second slot of a batch of two
                    kernels.yuvToRgbPlanar(deviceFrame, fmt, w, h, k, p, deviceTensor, offset, stream);
                    FrameTransfers.download(deviceTensor, gpuResult, 2 * offset, stream);
                    stream.synchronize();
                    cpu.yuvToRgbPlanar(frame, fmt, w, h, spec, new TensorView(cpuResult.hostBytes(), offset, p));
                    compareTensors(gpuResult.hostBytes(), cpuResult.hostBytes(), offset, p, 3L * w * h,
                            fmt + " " + w + "x" + h + " " + spec + " " + p);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("frames")
    void rgbToYuvMatchesTheCpuConverterCodeForCode(PixelFormat fmt, int w, int h) {
        Gpu.assume();
        long frameBytes = fmt.frameBytes(w, h);
        long maxTensor = Precision.FP32.tensorBytes(1, h, w);
        try (FrameBuffer hostTensor = pinnedPool.pool().acquire(2 * maxTensor);
             FrameBuffer deviceTensor = devicePool.pool().acquire(2 * maxTensor);
             FrameBuffer deviceFrame = devicePool.pool().acquire(frameBytes);
             FrameBuffer zeros = pinnedPool.pool().acquire(frameBytes);
             FrameBuffer gpuResult = pinnedPool.pool().acquire(frameBytes);
             FrameBuffer cpuResult = pinnedPool.pool().acquire(frameBytes)) {
            zero(zeros.hostBytes(), frameBytes);
            for (ColorSpec spec : specs()) {
                YuvCoefficients k = YuvCoefficients.of(spec, fmt.bitDepth());
                for (Precision p : Precision.values()) {
                    long offset = p.tensorBytes(1, h, w);
                    ByteBuffer tensor = hostTensor.hostBytes();
                    randomTensor(tensor, offset, p, w, h, k, new Random(w * 7L + h + p.ordinal()));
                    FrameTransfers.upload(hostTensor, deviceTensor, 2 * offset, stream);
                    FrameTransfers.upload(zeros, deviceFrame, frameBytes, stream); // untouched padding stays 0
                    kernels.rgbPlanarToYuv(deviceTensor, offset, p, w, h, k, fmt, deviceFrame, stream);
                    FrameTransfers.download(deviceFrame, gpuResult, frameBytes, stream);
                    stream.synchronize();
                    ByteBuffer expected = cpuResult.hostBytes();
                    zero(expected, frameBytes);
                    cpu.rgbPlanarToYuv(new TensorView(tensor, offset, p), w, h, spec, fmt, expected);
                    compareFrames(gpuResult.hostBytes(), expected, fmt, frameBytes,
                            fmt + " " + w + "x" + h + " " + spec + " " + p);
                }
            }
        }
    }

    private static void compareTensors(ByteBuffer gpu, ByteBuffer cpu, long offset, Precision p, long n, String what) {
        double tolerance = p == Precision.FP32 ? 1e-5 : 1e-3;
        double maxDiff = 0;
        long inexact = 0;
        for (long i = 0; i < n; i++) {
            int at = (int) (offset + i * p.bytes());
            float g = p == Precision.FP32 ? gpu.getFloat(at) : Float16.toFloat(gpu.getShort(at));
            float c = p == Precision.FP32 ? cpu.getFloat(at) : Float16.toFloat(cpu.getShort(at));
            if (Float.floatToIntBits(g) != Float.floatToIntBits(c)) {
                inexact++;
                maxDiff = Math.max(maxDiff, Math.abs(g - c));
                if (!(Math.abs(g - c) <= tolerance)) {
                    throw new AssertionError(what + ": element " + i + " GPU " + g + " CPU " + c);
                }
            }
        }
        if (inexact > 0) {
            System.out.printf("yuv->rgb %s: %d of %d values not bit-identical, max |diff| %.3g%n", what, inexact, n, maxDiff);
        }
    }

    private static void compareFrames(ByteBuffer gpu, ByteBuffer cpu, PixelFormat fmt, long bytes, String what) {
        long samples = bytes / fmt.bytesPerSample();
        long differing = 0;
        int maxDiff = 0;
        for (long i = 0; i < samples; i++) {
            int g;
            int c;
            if (fmt == PixelFormat.NV12) {
                g = gpu.get((int) i) & 0xff;
                c = cpu.get((int) i) & 0xff;
            } else {
                int gw = gpu.getShort((int) (2 * i)) & 0xffff;
                int cw = cpu.getShort((int) (2 * i)) & 0xffff;
                assertEquals(0, gw & 0x3f, what + ": P010 low bits of sample " + i);
                g = gw >>> 6;
                c = cw >>> 6;
            }
            if (g != c) {
                differing++;
                maxDiff = Math.max(maxDiff, Math.abs(g - c));
            }
        }
        if (differing > 0) {
            System.out.printf("rgb->yuv %s: %d of %d codes differ, max %d code%n", what, differing, samples, maxDiff);
        }
        long allowed = samples / 100_000;
        assertTrue(maxDiff <= 1 && differing <= allowed, what + ": " + differing + " codes differ (max " + maxDiff
                + "), allowed " + allowed + " off by one");
    }

    /** Random code values; P010 words also get random low bits, which both paths must ignore. */
    private static void randomFrame(ByteBuffer b, PixelFormat fmt, long bytes, Random rnd) {
        if (fmt == PixelFormat.NV12) {
            for (int i = 0; i < bytes; i++) {
                b.put(i, (byte) rnd.nextInt(256));
            }
        } else {
            for (int i = 0; i < bytes; i += 2) {
                b.putShort(i, (short) (rnd.nextInt(1024) << 6 | rnd.nextInt(64)));
            }
        }
    }

    /**
     * A [3,h,w] tensor at {@code offset}: a third of the pixels random in [-0.05, 1.05] (clamping),
     * a third grey on the luma half-code boundaries (round half up), a third saturated corners.
     */
    private static void randomTensor(ByteBuffer b, long offset, Precision p, int w, int h, YuvCoefficients k,
                                     Random rnd) {
        long plane = (long) w * h;
        for (long i = 0; i < plane; i++) {
            float[] rgb = new float[3];
            switch ((int) (i % 3)) {
                case 0:
                    for (int c = 0; c < 3; c++) {
                        rgb[c] = -0.05f + 1.1f * rnd.nextFloat();
                    }
                    break;
                case 1:
                    float code = rnd.nextInt((int) k.maxCode) + 0.5f;
                    float grey = (code - k.yOffset) / k.yScale;
                    rgb[0] = grey;
                    rgb[1] = grey;
                    rgb[2] = grey;
                    break;
                default:
                    for (int c = 0; c < 3; c++) {
                        rgb[c] = rnd.nextBoolean() ? 1f : 0f;
                    }
            }
            for (int c = 0; c < 3; c++) {
                int at = (int) (offset + (c * plane + i) * p.bytes());
                if (p == Precision.FP32) {
                    b.putFloat(at, rgb[c]);
                } else {
                    b.putShort(at, Float16.fromFloat(rgb[c]));
                }
            }
        }
    }

    private static void zero(ByteBuffer b, long bytes) {
        for (int i = 0; i < bytes; i++) {
            b.put(i, (byte) 0);
        }
    }
}
