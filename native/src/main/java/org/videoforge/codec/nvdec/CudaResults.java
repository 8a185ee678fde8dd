package org.videoforge.codec.nvdec;

import static org.bytedeco.cuda.global.cudart.CUDA_ERROR_NOT_SUPPORTED;
import static org.bytedeco.cuda.global.cudart.CUDA_ERROR_OUT_OF_MEMORY;
import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.cuGetErrorName;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/** CUresult codes (the driver API's and NVDEC's) turned into EngineErrors that name the error. */
final class CudaResults {
    private CudaResults() {
    }

    /** "CUDA_ERROR_NOT_SUPPORTED (801)". */
    static String describe(int result) {
        try (PointerPointer<BytePointer> name = new PointerPointer<>(1)) {
            if (cuGetErrorName(result, name) == CUDA_SUCCESS) {
                BytePointer text = name.get(BytePointer.class, 0);
                if (text != null && !text.isNull()) {
                    return text.getString() + " (" + result + ")";
                }
            }
        } catch (Throwable ignored) { // LinkageError: the driver library is missing; the number still says it
        }
        return "CUresult " + result;
    }

    static EngineError error(ErrorCode code, String what, int result) {
        return new EngineError(code, what + ": " + describe(result));
    }

    /** Throws {@code code} unless {@code result} is CUDA_SUCCESS. */
    static void check(int result, ErrorCode code, String what) {
        if (result != CUDA_SUCCESS) {
            throw error(code, what, result);
        }
    }

    /** For resource creation: out of memory and "not supported" have their own codes. */
    static void checkCreate(int result, ErrorCode otherwise, String what) {
        if (result == CUDA_ERROR_OUT_OF_MEMORY) {
            throw error(ErrorCode.VRAM_EXHAUSTED, what, result);
        }
        if (result == CUDA_ERROR_NOT_SUPPORTED) {
            throw error(ErrorCode.UNSUPPORTED_CODEC, what, result);
        }
        check(result, otherwise, what);
    }
}
