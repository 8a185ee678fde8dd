package org.videoforge.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoforge.frame.Float16;
import org.videoforge.frame.Precision;
import org.videoforge.inference.TestTensors;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.testing.GpuAndHost;

/**
 * {@link TensorKernels#pixelShuffle} against the definition written out here in Java
 * (out[c, y s + i, x s + j] = body[c s² + i s + j, y, x] + in[c, y, x]), bit for bit: the sum is
 * one float addition rounded once to the tensor's precision on both sides. Every scale it has a
 * kernel for, both precisions, the planar and the kHWC8 body, with and without the residual, at
 * a size that is not a multiple of the kernel's thread block.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PixelShuffleKernelTest {
    private static final int W = 37;
    private static final int H = 11;

    private GpuAndHost devices;
    private CudaDevice device;
    private CudaStream stream;
    private TensorKernels kernels;

    @BeforeAll
    void open() {
        devices = GpuAndHost.openIfAvailable();
        if (devices != null) {
            device = CudaDevice.acquire(0);
            stream = CudaStream.create(device);
            kernels = TensorKernels.load(device);
        }
    }

    @BeforeEach
    void gpuPresent() {
        assumeTrue(devices != null, () -> "no CUDA device: " + CudaRuntime.unavailableReason());
    }

    @AfterAll
    void close() {
        if (devices != null) {
            kernels.close();
            stream.close();
            device.close();
            devices.close();
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (int s : new int[] {2, 3, 4, 8}) {
                for (boolean channelsLast : new boolean[] {false, true}) {
                    for (boolean residual : new boolean[] {true, false}) {
                        all.add(Arguments.of(p, s, channelsLast, residual));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} x{1} channelsLast={2} residual={3}")
    @MethodSource("cases")
    void writesTheShuffleOfItsDefinition(Precision p, int s, boolean channelsLast, boolean residual) {
        int channels = 3 * s * s;
        int stored = channelsLast ? (channels + 7) / 8 * 8 : channels;
        int pixels = W * H;
        long bodyBytes = (long) stored * pixels * p.bytes();
        long inBytes = p.tensorBytes(1, H, W);
        long outBytes = p.tensorBytes(1, H * s, W * s);
        Random r = new Random(31L * s + (channelsLast ? 1 : 0));
        float[] body = new float[stored * pixels];
        float[] in = new float[3 * pixels];
        for (int i = 0; i < body.length; i++) {
            body[i] = (float) r.nextGaussian() * 0.3f;
        }
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextFloat();
        }
        try (FrameBuffer hostBody = devices.cpu.acquire(bodyBytes); FrameBuffer hostIn = devices.cpu.acquire(inBytes);
             FrameBuffer hostOut = devices.cpu.acquire(outBytes); FrameBuffer dBody = devices.gpu.acquire(bodyBytes);
             FrameBuffer dIn = devices.gpu.acquire(inBytes); FrameBuffer dOut = devices.gpu.acquire(outBytes)) {
            write(hostBody, p, body);
            write(hostIn, p, in);
            body = TestTensors.read(hostBody, p, body.length); // as stored: FP16 rounds the inputs
            in = TestTensors.read(hostIn, p, in.length);
            devices.put(hostBody, dBody, bodyBytes);
            devices.put(hostIn, dIn, inBytes);
            kernels.pixelShuffle(dBody.address(), dIn.address(), dOut.address(), W, H, s,
                    channelsLast ? 1 : pixels, channelsLast ? stored : 1, residual, p, stream);
            stream.synchronize();
            devices.get(dOut, hostOut, outBytes);
            float[] got = TestTensors.read(hostOut, p, 3 * pixels * s * s);
            int differing = 0;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < H * s; y++) {
                    for (int x = 0; x < W * s; x++) {
                        int k = c * s * s + (y % s) * s + x % s;
                        int pixel = (y / s) * W + x / s;
                        float b = body[channelsLast ? pixel * stored + k : k * pixels + pixel];
                        float sum = residual ? b + in[c * pixels + pixel] : b;
                        float want = p == Precision.FP16 ? Float16.toFloat(Float16.fromFloat(sum)) : sum;
                        float g = got[(c * H * s + y) * W * s + x];
                        if (Float.floatToIntBits(want) != Float.floatToIntBits(g)) {
                            differing++;
                        }
                    }
                }
            }
            assertEquals(0, differing, "output values differing from the definition");
        }
    }

    @Test
    void refusesScalesWithoutAKernelAndUnalignedOutput() {
        assertThrows(IllegalArgumentException.class, () -> kernels.pixelShuffle(0, 0, 256, W, H, 5, 1, 1, false,
                Precision.FP16, stream));
        assertThrows(IllegalArgumentException.class, () -> kernels.pixelShuffle(0, 0, 258, W, H, 2, 1, 1, false,
                Precision.FP16, stream), "x2 FP16 stores pairs: 4-byte alignment");
        assertThrows(IllegalArgumentException.class, () -> kernels.pixelShuffle(0, 0, 264, W, H, 4, 1, 1, false,
                Precision.FP32, stream), "x4 FP32 stores 4 floats: 16-byte alignment");
    }

    private static void write(FrameBuffer host, Precision p, float[] values) {
        ByteBuffer b = host.hostBytes();
        for (int i = 0; i < values.length; i++) {
            TestTensors.put(b, p, i, values[i]);
        }
    }
}
