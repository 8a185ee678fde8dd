package org.videoforge.device;

import org.videoforge.frame.Feather;
import org.bytedeco.cuda.global.cudart;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaErrors;
import org.videoforge.gpu.CudaStream;
import org.videoforge.gpu.TensorKernels;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.AddressPointer;

/**
 * {@link TensorOps} on device tensors: device-to-device copies and the tile kernel, queued on the
 * owning {@link CudaFrameDevice}'s stream. Nothing here touches host memory, so none of it counts
 * as a host copy.
 */
final class CudaTensorOps implements TensorOps, AutoCloseable {
    private final CudaDevice device;
    private final CudaStream stream;
    /** Compiled on first use: only the stage that tiles needs it. */
    private TensorKernels kernels;

    CudaTensorOps(CudaDevice device, CudaStream stream) {
        this.device = device;
        this.stream = stream;
    }

    @Override
    public void copy(FrameBuffer src, long srcOffset, FrameBuffer dst, long dstOffset, long bytes) {
        TensorOps.checkRange(src, srcOffset, bytes, "copy source");
        TensorOps.checkRange(dst, dstOffset, bytes, "copy destination");
        requireDevice(src, dst);
        device.bindToCurrentThread();
        CudaErrors.check(cudart.cudaMemcpyAsync(at(dst, dstOffset), at(src, srcOffset), bytes,
                cudart.cudaMemcpyDeviceToDevice, stream.handle()), "cudaMemcpyAsync device->device of " + bytes + " bytes");
    }

    @Override
    public void copy2d(FrameBuffer src, long srcOffset, long srcPitch, FrameBuffer dst, long dstOffset, long dstPitch,
                       long rowBytes, int rows) {
        TensorOps.checkRange(src, srcOffset, (rows - 1) * srcPitch + rowBytes, "copy source");
        TensorOps.checkRange(dst, dstOffset, (rows - 1) * dstPitch + rowBytes, "copy destination");
        requireDevice(src, dst);
        device.bindToCurrentThread();
        CudaErrors.check(cudart.cudaMemcpy2DAsync(at(dst, dstOffset), dstPitch, at(src, srcOffset), srcPitch, rowBytes,
                rows, cudart.cudaMemcpyDeviceToDevice, stream.handle()), "cudaMemcpy2DAsync of " + rows + " rows");
    }

    @Override
    public void zero(FrameBuffer dst, long bytes) {
        TensorOps.checkRange(dst, 0, bytes, "zeroed buffer");
        requireDevice(dst, dst);
        device.bindToCurrentThread();
        CudaErrors.check(cudart.cudaMemsetAsync(dst.pointer(), 0, bytes, stream.handle()), "cudaMemsetAsync");
    }

    @Override
    public void accumulate(FrameBuffer tile, int tw, int th, FrameBuffer out, int ow, int oh, int x0, int y0,
                           Feather feather, Precision p) {
        TensorOps.checkTile(tile, tw, th, out, ow, oh, x0, y0, p);
        requireDevice(tile, out);
        if (kernels == null) {
            kernels = TensorKernels.load(device);
        }
        kernels.accumulate(tile, tw, th, out, ow, oh, x0, y0, feather, p, stream);
    }

    @Override
    public void await() {
        device.bindToCurrentThread();
        stream.synchronize();
    }

    private static AddressPointer at(FrameBuffer b, long offset) {
        return new AddressPointer(b.address() + offset, b.capacity() - offset);
    }

    private static void requireDevice(FrameBuffer a, FrameBuffer b) {
        if (a.kind() != MemoryKind.DEVICE || b.kind() != MemoryKind.DEVICE) {
            throw new IllegalArgumentException("device tensor operations need device buffers, got " + a.kind()
                    + " and " + b.kind());
        }
    }

    @Override
    public void close() {
        if (kernels != null) {
            kernels.close();
        }
    }
}
