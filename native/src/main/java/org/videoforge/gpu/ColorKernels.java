package org.videoforge.gpu;

import org.videoforge.color.YuvCoefficients;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;

/**
 * NV12/P010 frames to RGB planar tensors and back, on the GPU, computing exactly what
 * {@link org.videoforge.color.CpuColorConverter} computes (same coefficients, replicated chroma
 * up, 2x2 box-averaged chroma down, round-half-up quantisation). Source:
 * {@code color_kernels.cu} next to this class, compiled once per instance with NVRTC.
 *
 * <p>Both directions only queue work on the given stream. Frames are tightly packed
 * ({@link PixelFormat#frameBytes}); tensors are [3,h,w] at a byte offset into a larger buffer
 * (e.g. one slot of a batch).
 */
public final class ColorKernels implements AutoCloseable {
    static final String SOURCE = "color_kernels.cu";

    private final CudaDevice device;
    private final NvrtcProgram program;

    private ColorKernels(CudaDevice device, NvrtcProgram program) {
        this.device = device;
        this.program = program;
    }

    /** Compiles the kernels for {@code device} (borrowed: keep it open while this is). */
    public static ColorKernels load(CudaDevice device) {
        return new ColorKernels(device, NvrtcProgram.compileResource(device, ColorKernels.class, SOURCE));
    }

    /** YUV 4:2:0 {@code yuv} to a [3,h,w] tensor of precision {@code p} at {@code tensorOffsetBytes}. */
    public void yuvToRgbPlanar(FrameBuffer yuv, PixelFormat fmt, int w, int h, YuvCoefficients k, Precision p,
                               FrameBuffer tensor, long tensorOffsetBytes, CudaStream s) {
        checkArguments(yuv, fmt, w, h, k, p, tensor, tensorOffsetBytes);
        try (KernelArgs args = kernelArgs(yuv.address(), tensor.address() + tensorOffsetBytes, fmt, w, h, k)) {
            launch(yuvToRgbKernel(fmt, p), w, h, s, args); // one thread per pixel
        }
    }

    /** A [3,h,w] tensor at {@code tensorOffsetBytes} to YUV 4:2:0 {@code yuv}; tensor values are clamped to [0,1]. */
    public void rgbPlanarToYuv(FrameBuffer tensor, long tensorOffsetBytes, Precision p, int w, int h,
                               YuvCoefficients k, PixelFormat fmt, FrameBuffer yuv, CudaStream s) {
        checkArguments(yuv, fmt, w, h, k, p, tensor, tensorOffsetBytes);
        try (KernelArgs args = kernelArgs(tensor.address() + tensorOffsetBytes, yuv.address(), fmt, w, h, k)) {
            launch(rgbToYuvKernel(p, fmt), (w + 1) / 2, PixelFormat.chromaHeight(h), s, args); // one per 2x2 block
        }
    }

    private void launch(String kernel, int threadsX, int threadsY, CudaStream s, KernelArgs args) {
        device.bindToCurrentThread();
        program.kernel(kernel).launchOver(threadsX, threadsY, s, args);
    }

    /**
     * Every kernel's parameters, in color_kernels.cu's order: src, dst, width, height, pitch (in
     * samples), then the 12 floats of YUV_COEFFICIENTS.
     */
    static KernelArgs kernelArgs(long src, long dst, PixelFormat fmt, int w, int h, YuvCoefficients k) {
        return KernelArgs.create().pointer(src).pointer(dst)
                .i32(w).i32(h).i32(fmt.pitch(w) / fmt.bytesPerSample())
                .f32(k.yOffset).f32(k.yScale).f32(k.cOffset).f32(k.cScale).f32(k.maxCode)
                .f32(k.kr).f32(k.kg).f32(k.kb)
                .f32(k.rFromCr).f32(k.gFromCb).f32(k.gFromCr).f32(k.bFromCb);
    }

    static String yuvToRgbKernel(PixelFormat fmt, Precision p) {
        return formatName(fmt) + "_to_rgb_" + precisionName(p);
    }

    static String rgbToYuvKernel(Precision p, PixelFormat fmt) {
        return "rgb_" + precisionName(p) + "_to_" + formatName(fmt);
    }

    private static String formatName(PixelFormat fmt) {
        return fmt == PixelFormat.NV12 ? "nv12" : "p010";
    }

    private static String precisionName(Precision p) {
        return p == Precision.FP32 ? "f32" : "f16";
    }

    static void checkArguments(FrameBuffer yuv, PixelFormat fmt, int w, int h, YuvCoefficients k, Precision p,
                               FrameBuffer tensor, long offset) {
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("frame size must be positive: " + w + "x" + h);
        }
        if (yuv.kind() != MemoryKind.DEVICE || tensor.kind() != MemoryKind.DEVICE) {
            throw new IllegalArgumentException("colour kernels need device buffers, got frame " + yuv.kind()
                    + " and tensor " + tensor.kind());
        }
        if (k.maxCode != (1 << fmt.bitDepth()) - 1) {
            throw new IllegalArgumentException("coefficients are for " + (int) k.maxCode + " max code, not "
                    + fmt + "'s " + fmt.bitDepth() + " bits");
        }
        if (yuv.capacity() < fmt.frameBytes(w, h)) {
            throw new IllegalArgumentException(fmt + " " + w + "x" + h + " needs " + fmt.frameBytes(w, h)
                    + " bytes, the frame buffer holds " + yuv.capacity());
        }
        if (offset < 0 || offset % p.bytes() != 0 || tensor.capacity() < offset + p.tensorBytes(1, h, w)) {
            throw new IllegalArgumentException("a " + p + " " + w + "x" + h + " tensor does not fit at offset "
                    + offset + " of a " + tensor.capacity() + "-byte buffer");
        }
    }

    @Override
    public void close() {
        program.close();
    }
}
