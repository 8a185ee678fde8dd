package org.videoforge.gpu;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;

/**
 * A non-blocking CUDA stream (it does not synchronise with the legacy default stream). Work on
 * one stream runs in order; a stage puts its copies and kernels on one stream and synchronises
 * only where the host needs the result.
 */
public final class CudaStream implements AutoCloseable {
    private final int deviceIndex;
    private final CUstream_st handle;
    private boolean closed;

    private CudaStream(int deviceIndex, CUstream_st handle) {
        this.deviceIndex = deviceIndex;
        this.handle = handle;
    }

    /** A new stream on {@code device} (bound to the calling thread as a side effect). */
    public static CudaStream create(CudaDevice device) {
        device.bindToCurrentThread();
        CUstream_st s = new CUstream_st();
        CudaErrors.check(cudart.cudaStreamCreateWithFlags(s, cudart.cudaStreamNonBlocking),
                "cudaStreamCreateWithFlags on cuda:" + device.index());
        return new CudaStream(device.index(), s);
    }

    /**
     * A new stream of the device's highest priority: for the short colour kernels and copies the
     * stages wait on, so that they start as soon as SMs free up instead of queueing behind a
     * model's whole convolution layer on the inference stream.
     */
    public static CudaStream createHighPriority(CudaDevice device) {
        device.bindToCurrentThread();
        int[] least = new int[1];
        int[] greatest = new int[1];
        CudaErrors.check(cudart.cudaDeviceGetStreamPriorityRange(least, greatest),
                "cudaDeviceGetStreamPriorityRange on cuda:" + device.index());
        CUstream_st s = new CUstream_st();
        CudaErrors.check(cudart.cudaStreamCreateWithPriority(s, cudart.cudaStreamNonBlocking, greatest[0]),
                "cudaStreamCreateWithPriority on cuda:" + device.index());
        return new CudaStream(device.index(), s);
    }

    /** The native handle (cudaStream_t == CUstream); owned by this object, never close it. */
    public CUstream_st handle() {
        checkOpen();
        return handle;
    }

    /** The handle's value, e.g. for ONNX Runtime's {@code user_compute_stream}. */
    public long address() {
        checkOpen();
        return handle.address();
    }

    public int deviceIndex() {
        return deviceIndex;
    }

    /** Blocks until everything queued on this stream has finished; reports asynchronous errors. */
    public void synchronize() {
        CudaErrors.check(cudart.cudaStreamSynchronize(handle()), "cudaStreamSynchronize on cuda:" + deviceIndex);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CudaErrors.check(cudart.cudaStreamDestroy(handle), "cudaStreamDestroy on cuda:" + deviceIndex);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("CUDA stream used after close");
        }
    }
}
