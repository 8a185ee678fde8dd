package org.videoforge.inference;

import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;

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
            default:
                throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "backend " + kind.cliName()
                        + " is not available in this build on device " + device + "; use --backend cpu");
        }
    }
}
