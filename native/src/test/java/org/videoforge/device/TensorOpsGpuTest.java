package org.videoforge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.inference.TestTensors;
import org.videoforge.inference.tiling.TilePlan;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.testing.GpuAndHost;

/**
 * The CUDA tensor operations (device copies, the NVRTC tile kernel) against the Java ones, bit for
 * bit: the kernel is compiled without FMA contraction, so both round alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TensorOpsGpuTest {
    private GpuAndHost devices;

    @BeforeAll
    void open() {
        devices = GpuAndHost.openIfAvailable();
    }

    @BeforeEach
    void gpuPresent() {
        assumeTrue(devices != null, () -> "no CUDA device: " + CudaRuntime.unavailableReason());
    }

    @AfterAll
    void close() {
        if (devices != null) {
            devices.close();
        }
    }

    /** A whole tiled frame's worth of operations: cut tiles out, feather-accumulate them into a zeroed output. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void tilingOperationsMatchTheCpuBitForBit(Precision p) {
        int w = 150;
        int h = 90;
        int s = 2;
        TilePlan plan = TilePlan.of(w, h, 64, 12, s);
        float[] viaCpu = tileAndBlend(devices.cpu, p, w, h, s, plan);
        float[] viaGpu = tileAndBlend(devices.gpu, p, w, h, s, plan);
        int differing = 0;
        for (int i = 0; i < viaCpu.length; i++) {
            if (Float.floatToIntBits(viaCpu[i]) != Float.floatToIntBits(viaGpu[i])) {
                differing++;
            }
        }
        assertEquals(0, differing, "values differing between the CUDA and the CPU tensor ops");
    }

    /**
     * Stands a nearest-neighbour x{@code s} "model" in for inference: each tile is cut out (copy2d), upscaled on
     * the host (exact), put back on the device and accumulated; a batch copy round trip checks {@code copy}.
     */
    private float[] tileAndBlend(FrameDevice d, Precision p, int w, int h, int s, TilePlan plan) {
        TensorOps ops = d.tensorOps();
        int e = p.bytes();
        try (FrameBuffer hostIn = devices.cpu.acquire(p.tensorBytes(1, h, w));
             FrameBuffer in = d.acquire(p.tensorBytes(1, h, w));
             FrameBuffer batch = d.acquire(2 * p.tensorBytes(1, h, w));
             FrameBuffer out = d.acquire(p.tensorBytes(1, h * s, w * s));
             FrameBuffer hostOut = devices.cpu.acquire(p.tensorBytes(1, h * s, w * s))) {
            TestTensors.fillImage(hostIn, p, w, h, 9);
            devices.put(hostIn, in, p.tensorBytes(1, h, w));
            ops.copy(in, 0, batch, p.tensorBytes(1, h, w), p.tensorBytes(1, h, w)); // to slot 1 and back
            ops.zero(in, p.tensorBytes(1, h, w));
            ops.copy(batch, p.tensorBytes(1, h, w), in, 0, p.tensorBytes(1, h, w));
            ops.zero(out, p.tensorBytes(1, h * s, w * s));
            for (TilePlan.Tile t : plan.tiles()) {
                try (FrameBuffer tile = d.acquire(p.tensorBytes(1, t.height(), t.width()));
                     FrameBuffer hostTile = devices.cpu.acquire(p.tensorBytes(1, t.height(), t.width()));
                     FrameBuffer hostUp = devices.cpu.acquire(p.tensorBytes(1, t.height() * s, t.width() * s));
                     FrameBuffer up = d.acquire(p.tensorBytes(1, t.height() * s, t.width() * s))) {
                    for (int c = 0; c < 3; c++) {
                        ops.copy2d(in, (((long) c * h + t.y()) * w + t.x()) * e, (long) w * e, tile,
                                (long) c * t.height() * t.width() * e, (long) t.width() * e, (long) t.width() * e,
                                t.height());
                    }
                    ops.await();
                    devices.get(tile, hostTile, p.tensorBytes(1, t.height(), t.width()));
                    nearestUpscale(hostTile, hostUp, t.width(), t.height(), s, e);
                    devices.put(hostUp, up, p.tensorBytes(1, t.height() * s, t.width() * s));
                    ops.accumulate(up, t.width() * s, t.height() * s, out, w * s, h * s, t.x() * s, t.y() * s,
                            t.feather(), p);
                    ops.await();
                }
            }
            devices.get(out, hostOut, p.tensorBytes(1, h * s, w * s));
            return TestTensors.read(hostOut, p, 3 * h * s * w * s);
        }
    }

    private static void nearestUpscale(FrameBuffer src, FrameBuffer dst, int w, int h, int s, int e) {
        ByteBuffer a = src.hostBytes();
        ByteBuffer b = dst.hostBytes();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h * s; y++) {
                for (int x = 0; x < w * s; x++) {
                    b.put(((c * h * s + y) * w * s + x) * e, a, ((c * h + y / s) * w + x / s) * e, e);
                }
            }
        }
    }
}
