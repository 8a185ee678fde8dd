package org.videoforge.gpu;

import org.videoforge.frame.Feather;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;

/**
 * The feathered tile accumulation of tiled inference on the GPU ({@code tile_kernels.cu} next to
 * this class, compiled with NVRTC); {@link org.videoforge.device.TensorOps#accumulate} is its
 * contract and the CPU implementation its oracle.
 */
public final class TileKernels implements AutoCloseable {
    static final String SOURCE = "tile_kernels.cu";

    private final CudaDevice device;
    private final NvrtcProgram program;

    private TileKernels(CudaDevice device, NvrtcProgram program) {
        this.device = device;
        this.program = program;
    }

    /** Compiles the kernels for {@code device} (borrowed: keep it open while this is). */
    public static TileKernels load(CudaDevice device) {
        return new TileKernels(device, NvrtcProgram.compileResource(device, TileKernels.class, SOURCE));
    }

    /** Queues {@code out += feather * tile} on {@code s}; both buffers are device tensors of precision {@code p}. */
    public void accumulate(FrameBuffer tile, int tw, int th, FrameBuffer out, int ow, int oh, int x0, int y0,
                           Feather f, Precision p, CudaStream s) {
        try (KernelArgs args = KernelArgs.create().pointer(tile.address()).pointer(out.address())
                .i32(tw).i32(th).i32(ow).i32(oh).i32(x0).i32(y0)
                .i32(f.riseX()).i32(f.riseXLength()).i32(f.fallX()).i32(f.fallXLength())
                .i32(f.riseY()).i32(f.riseYLength()).i32(f.fallY()).i32(f.fallYLength())) {
            device.bindToCurrentThread();
            program.kernel(p == Precision.FP32 ? "accumulate_tile_f32" : "accumulate_tile_f16")
                    .launchOver(tw, th, s, args);
        }
    }

    @Override
    public void close() {
        program.close();
    }
}
