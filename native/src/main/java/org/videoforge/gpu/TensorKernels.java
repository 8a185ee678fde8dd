package org.videoforge.gpu;

import org.videoforge.frame.Feather;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;

/**
 * Kernels on device tensors ({@code tensor_kernels.cu} next to this class, compiled with NVRTC):
 * the feathered tile accumulation of tiled inference ({@link org.videoforge.device.TensorOps#accumulate}
 * is its contract and the CPU implementation its oracle), and the pixel-shuffle tail of a model
 * whose engine ends before it ({@link org.videoforge.inference.PixelShuffleTail}).
 */
public final class TensorKernels implements AutoCloseable {
    static final String SOURCE = "tensor_kernels.cu";

    private final CudaDevice device;
    private final NvrtcProgram program;

    private TensorKernels(CudaDevice device, NvrtcProgram program) {
        this.device = device;
        this.program = program;
    }

    /** Compiles the kernels for {@code device} (borrowed: keep it open while this is). */
    public static TensorKernels load(CudaDevice device) {
        return new TensorKernels(device, NvrtcProgram.compileResource(device, TensorKernels.class, SOURCE));
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

    /** The scales {@link #pixelShuffle} has kernels for. */
    public static boolean shuffles(int scale) {
        return scale == 2 || scale == 3 || scale == 4 || scale == 8;
    }

    /**
     * Queues {@code out = pixelShuffle(body) (+ nearest-upscaled in, where residual)} for one
     * {@code width x height} input on {@code s}: {@code out} is [3, h s, w s], {@code in} [3, h, w]
     * (ignored without residual), {@code body} 3 s² channels with element (k, y, x) at
     * {@code k channelStride + (y w + x) pixelStride}. Addresses of device tensors of precision {@code p};
     * {@code out} aligned to the run of up to 4 values the kernel stores as one word (a frame of a
     * batch always is).
     */
    public void pixelShuffle(long body, long in, long out, int width, int height, int scale, int channelStride,
                             int pixelStride, boolean residual, Precision p, CudaStream s) {
        if (!shuffles(scale)) {
            throw new IllegalArgumentException("no pixel-shuffle kernel for scale " + scale);
        }
        long align = (long) p.bytes() * Math.min(Integer.lowestOneBit(scale), 4); // the kernel's widest store
        if (out % align != 0) {
            throw new IllegalArgumentException("a x" + scale + " " + p + " pixel-shuffle output must be " + align
                    + "-byte aligned: 0x" + Long.toHexString(out));
        }
        try (KernelArgs args = KernelArgs.create().pointer(body).pointer(residual ? in : 0).pointer(out)
                .i32(width).i32(height).i32(channelStride).i32(pixelStride).i32(residual ? 1 : 0)) {
            device.bindToCurrentThread();
            program.kernel("pixel_shuffle_x" + scale + (p == Precision.FP32 ? "_f32" : "_f16"))
                    .launchOver(width, height, s, args);
        }
    }

    @Override
    public void close() {
        program.close();
    }
}
