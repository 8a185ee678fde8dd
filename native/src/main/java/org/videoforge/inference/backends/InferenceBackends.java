package org.videoforge.inference.backends;

import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.OrtCpuBackend;
import org.videoforge.inference.OrtCudaBackend;
import org.videoforge.inference.tensorrt.TensorRtBackend;
import org.videoforge.inference.tensorrt.TensorRtOptions;

/**
 * Opens the backend a pipeline asked for. Above both {@code inference} (the ONNX Runtime backends and
 * what every backend shares) and {@code inference.tensorrt}, which depends on it: no package cycle.
 */
public final class InferenceBackends {
    private InferenceBackends() {
    }

    /** As {@link #open(BackendKind, ModelRef, Precision, int, int, int)} for runs of one frame. */
    public static InferenceBackend open(BackendKind kind, ModelRef model, Precision precision, int device,
                                        int cpuThreads) {
        return open(kind, model, precision, device, cpuThreads, 1);
    }

    /**
     * The backend {@code kind} for {@code model}; {@code maxBatch} is the largest micro-batch the
     * pipeline will run ({@code --max-batch}: TensorRT builds its engines for batches up to it where
     * the model has a dynamic batch axis; the ONNX Runtime backends take any batch).
     */
    public static InferenceBackend open(BackendKind kind, ModelRef model, Precision precision, int device,
                                        int cpuThreads, int maxBatch) {
        switch (kind) {
            case CPU:
                return OrtCpuBackend.open(model, precision, cpuThreads);
            case CUDA:
                return OrtCudaBackend.open(model, precision, device);
            case TENSORRT:
                // No frame size here: engines are made (from the cache, or built) on the first run of each size.
                return TensorRtBackend.open(model, precision, device,
                        TensorRtOptions.forPipeline().withBatchesUpTo(maxBatch));
            default:
                throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "backend " + kind.cliName()
                        + " is not available in this build on device " + device + "; use --backend cpu");
        }
    }
}
