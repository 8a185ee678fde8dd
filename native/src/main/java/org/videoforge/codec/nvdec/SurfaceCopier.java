package org.videoforge.codec.nvdec;

import static org.bytedeco.cuda.global.cudart.CU_MEMORYTYPE_DEVICE;
import static org.bytedeco.cuda.global.cudart.cuMemcpy2DAsync;
import static org.bytedeco.cuda.global.cudart.cuStreamSynchronize;

import org.bytedeco.cuda.cudart.CUDA_MEMCPY2D_v2;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.Pointer;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.PixelFormat;

/**
 * Copies the display rectangle of a mapped NVDEC surface (pitched, coded size, luma rows then
 * interleaved chroma rows) into the pipeline's tightly packed NV12 / P010 layout, device to
 * device, and waits for the copy so the surface can be unmapped at once. Owns one native
 * CUDA_MEMCPY2D, reused for every plane.
 */
final class SurfaceCopier implements AutoCloseable {
    private final CUDA_MEMCPY2D_v2 copy = new CUDA_MEMCPY2D_v2();
    private final CUstream_st stream;

    SurfaceCopier(CUstream_st streamOrNull) {
        this.stream = streamOrNull;
        Pointer.memset(copy, 0, copy.sizeof());
    }

    /**
     * @param surface      device address of the mapped surface
     * @param surfacePitch its row pitch in bytes
     * @param surfaceRows  the surface's luma height (the decoder's target height); NVDEC starts the
     *                     chroma plane after that many rows rounded up to even
     * @param left         display rectangle in luma samples
     */
    void copy(long surface, long surfacePitch, int surfaceRows, int left, int top, int width, int height,
              PixelFormat layout, long destination) {
        int bytesPerSample = layout.bytesPerSample();
        long rowBytes = layout.pitch(width);
        long luma = surface + (long) top * surfacePitch + (long) left * bytesPerSample;
        plane(luma, surfacePitch, destination, rowBytes, height);
        long chromaPlane = surface + surfacePitch * ((surfaceRows + 1L) & ~1L);
        // Interleaved UV: one U,V pair per two luma columns, so the same byte offset as luma; half the rows.
        long chroma = chromaPlane + (long) (top / 2) * surfacePitch + (long) (left & ~1) * bytesPerSample;
        plane(chroma, surfacePitch, destination + rowBytes * height, rowBytes, PixelFormat.chromaHeight(height));
        CudaResults.check(cuStreamSynchronize(stream), ErrorCode.DEVICE_UNAVAILABLE,
                "waiting for the copy of a decoded frame failed");
    }

    private void plane(long source, long sourcePitch, long destination, long rowBytes, int rows) {
        copy.srcXInBytes(0).srcY(0).srcMemoryType(CU_MEMORYTYPE_DEVICE).srcDevice(source).srcPitch(sourcePitch)
                .dstXInBytes(0).dstY(0).dstMemoryType(CU_MEMORYTYPE_DEVICE).dstDevice(destination).dstPitch(rowBytes)
                .WidthInBytes(rowBytes).Height(rows);
        CudaResults.check(cuMemcpy2DAsync(copy, stream), ErrorCode.DEVICE_UNAVAILABLE,
                "copying a decoded " + rowBytes + "x" + rows + " plane out of the NVDEC surface failed");
    }

    @Override
    public void close() {
        copy.close();
    }
}
