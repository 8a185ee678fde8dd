package org.videoforge.codec.nvdec;

import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.nvcodec.global.nvcuvid;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Loads the CUDA driver and NVDEC (libcuda, libnvcuvid) bindings once. On a machine without an
 * NVIDIA driver the JNI libraries fail to link; that is recorded here, never thrown at class
 * loading, so the rest of the engine can ask and fall back to the CPU decoder.
 */
final class NvdecRuntime {
    private static final Throwable FAILURE = load();

    private NvdecRuntime() {
    }

    private static Throwable load() {
        try {
            Loader.load(cudart.class);
            Loader.load(nvcuvid.class);
            int r = cudart.cuInit(0); // idempotent; whoever made the caller's context has called it already
            if (r != CUDA_SUCCESS) {
                return new IllegalStateException("cuInit failed: " + CudaResults.describe(r));
            }
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError...: no driver here
            return t;
        }
    }

    static boolean available() {
        return FAILURE == null;
    }

    /** Why NVDEC cannot be used, or null when it can. */
    static String unavailableReason() {
        return FAILURE == null ? null : FAILURE.toString();
    }

    /** Throws DEVICE_UNAVAILABLE unless the driver and libnvcuvid loaded. */
    static void require(String what) {
        if (FAILURE != null) {
            throw new EngineError(ErrorCode.DEVICE_UNAVAILABLE,
                    "NVDEC is not available for " + what + ": the NVIDIA driver or libnvcuvid could not be loaded ("
                            + FAILURE + ")", FAILURE);
        }
    }
}
