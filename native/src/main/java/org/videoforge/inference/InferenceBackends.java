package org.videoforge.inference;

import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.inference.tensorrt.EngineCache;
import org.videoforge.inference.tensorrt.TensorRtBackend;

/** Opens the backend a pipeline asked for. */
public final class InferenceBackends {
    private InferenceBackends() {
    }

    public static InferenceBackend open(BackendKind kind, ModelRef model, Precision precision, int device,
                                        int cpuThreads) {
        switch (kind) {
            case CPU:
                return OrtCpuBackend.open(model, precision, cpuThreads);
            case CUDA:
                return OrtCudaBackend.open(model, precision, device);
            case TENSORRT:
                // No frame size here: the engine is built (or loaded from the cache) on the first run.
                return TensorRtBackend.openDeferred(model, precision, device, 1, EngineCache.defaultCache());
            default:
                throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "backend " + kind.cliName()
                        + " is not available in this build on device " + device + "; use --backend cpu");
        }
    }
}
