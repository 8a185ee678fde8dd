package org.videoforge.codec.nvdec;

import static org.bytedeco.cuda.global.cudart.cuCtxPopCurrent;
import static org.bytedeco.cuda.global.cudart.cuCtxPushCurrent;

import org.bytedeco.cuda.cudart.CUctx_st;
import org.videoforge.error.ErrorCode;

/**
 * Makes a CUDA context current on this thread for a block (push on enter, pop on close). NVDEC
 * and the driver API act on the calling thread's current context, and a decoder's thread may be
 * any task thread, so every entry point pushes the context rather than assuming it.
 */
final class ContextScope implements AutoCloseable {
    private boolean open = true;

    private ContextScope() {
    }

    static ContextScope enter(CUctx_st context, String what) {
        CudaResults.check(cuCtxPushCurrent(context), ErrorCode.DEVICE_UNAVAILABLE,
                "cannot make the CUDA context current for " + what);
        return new ContextScope();
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            CudaResults.check(cuCtxPopCurrent(new CUctx_st()), ErrorCode.DEVICE_UNAVAILABLE,
                    "cannot release the CUDA context");
        }
    }
}
