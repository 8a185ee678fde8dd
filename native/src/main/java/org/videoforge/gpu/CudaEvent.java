package org.videoforge.gpu;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.global.cudart;

/** A CUDA event with timing enabled: mark points on a stream and measure GPU time between them. */
public final class CudaEvent implements AutoCloseable {
    private final CUevent_st handle;
    private boolean closed;

    private CudaEvent(CUevent_st handle) {
        this.handle = handle;
    }

    public static CudaEvent create(CudaDevice device) {
        device.bindToCurrentThread();
        CUevent_st e = new CUevent_st();
        CudaErrors.check(cudart.cudaEventCreateWithFlags(e, cudart.cudaEventDefault), "cudaEventCreateWithFlags");
        return new CudaEvent(e);
    }

    /** Records this event after the work queued so far on {@code stream}. */
    public void record(CudaStream stream) {
        CudaErrors.check(cudart.cudaEventRecord(handle(), stream.handle()), "cudaEventRecord");
    }

    public void synchronize() {
        CudaErrors.check(cudart.cudaEventSynchronize(handle()), "cudaEventSynchronize");
    }

    /** True once the work before the event's last record has finished; never blocks. */
    public boolean isComplete() {
        int status = cudart.cudaEventQuery(handle());
        if (status == cudart.cudaErrorNotReady) {
            return false;
        }
        CudaErrors.check(status, "cudaEventQuery");
        return true;
    }

    /** GPU milliseconds from {@code start} to this event; both must have been recorded and completed. */
    public float millisSince(CudaEvent start) {
        float[] ms = new float[1];
        CudaErrors.check(cudart.cudaEventElapsedTime(ms, start.handle(), handle()), "cudaEventElapsedTime");
        return ms[0];
    }

    CUevent_st handle() {
        if (closed) {
            throw new IllegalStateException("CUDA event used after close");
        }
        return handle;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            CudaErrors.check(cudart.cudaEventDestroy(handle), "cudaEventDestroy");
        }
    }
}
