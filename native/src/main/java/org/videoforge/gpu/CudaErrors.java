package org.videoforge.gpu;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Turns CUDA runtime ({@code cudaError_t}), driver ({@code CUresult}) and NVRTC
 * ({@code nvrtcResult}) return codes into {@link EngineError}s that carry the library's own
 * name and description of the error.
 */
public final class CudaErrors {
    private CudaErrors() {
    }

    /** Throws INTERNAL unless {@code err} is cudaSuccess. */
    public static void check(int err, String what) {
        check(err, ErrorCode.INTERNAL, what);
    }

    /** Throws {@code code} unless {@code err} is cudaSuccess. */
    public static void check(int err, ErrorCode code, String what) {
        if (err != cudart.cudaSuccess) {
            throw new EngineError(code, what + " failed: " + describe(err));
        }
    }

    /** Throws INTERNAL unless the driver API result {@code err} is CUDA_SUCCESS. */
    public static void checkDriver(int err, String what) {
        if (err != cudart.CUDA_SUCCESS) {
            throw new EngineError(ErrorCode.INTERNAL, what + " failed: " + describeDriver(err));
        }
    }

    /** Throws INTERNAL unless the NVRTC result {@code err} is NVRTC_SUCCESS. */
    public static void checkNvrtc(int err, String what) {
        if (err != nvrtc.NVRTC_SUCCESS) {
            throw new EngineError(ErrorCode.INTERNAL, what + " failed: " + describeNvrtc(err));
        }
    }

    /** "cudaErrorMemoryAllocation (out of memory), error 2". */
    public static String describe(int err) {
        try {
            return cudart.cudaGetErrorName(err).getString() + " (" + cudart.cudaGetErrorString(err).getString()
                    + "), error " + err;
        } catch (Throwable t) {
            return "CUDA runtime error " + err;
        }
    }

    /** "CUDA_ERROR_INVALID_CONTEXT (invalid device context), CUresult 201". */
    public static String describeDriver(int err) {
        try (PointerPointer<BytePointer> name = new PointerPointer<>(1);
             PointerPointer<BytePointer> text = new PointerPointer<>(1)) {
            String n = cudart.cuGetErrorName(err, name) == cudart.CUDA_SUCCESS
                    ? name.get(BytePointer.class, 0).getString() : "CUresult " + err;
            String s = cudart.cuGetErrorString(err, text) == cudart.CUDA_SUCCESS
                    ? text.get(BytePointer.class, 0).getString() : "unknown";
            return n + " (" + s + "), CUresult " + err;
        } catch (Throwable t) {
            return "CUDA driver error " + err;
        }
    }

    public static String describeNvrtc(int err) {
        try {
            return nvrtc.nvrtcGetErrorString(err).getString() + ", nvrtcResult " + err;
        } catch (Throwable t) {
            return "NVRTC error " + err;
        }
    }
}
