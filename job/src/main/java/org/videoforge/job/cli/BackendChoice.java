package org.videoforge.job.cli;

import java.util.Locale;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.inference.BackendKind;

/** {@code --backend}: what was asked, what runs, and what to tell the user about the choice. */
final class BackendChoice {
    private final BackendKind kind;
    private final String note;

    private BackendChoice(BackendKind kind, String note) {
        this.kind = kind;
        this.note = note;
    }

    BackendKind kind() {
        return kind;
    }

    /** A line for the user when the choice was made for them, else null. */
    String note() {
        return note;
    }

    static BackendChoice resolve(String requested, int device) {
        String r = requested.toLowerCase(Locale.ROOT);
        if (r.equals("auto")) {
            if (!CudaRuntime.available()) {
                return new BackendChoice(BackendKind.CPU,
                        "backend auto: no usable CUDA device (" + CudaRuntime.unavailableReason() + "); using cpu");
            }
            CudaRuntime.requireDevice(device);
            return new BackendChoice(BackendKind.CUDA, "backend auto: TensorRT is not available in this build;"
                    + " using ONNX Runtime CUDA on device " + device);
        }
        BackendKind kind;
        try {
            kind = BackendKind.parse(r);
        } catch (IllegalArgumentException e) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "--backend must be auto, cpu, cuda or tensorrt, not "
                    + requested);
        }
        if (kind == BackendKind.TENSORRT) {
            throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT engines cannot be built in this build;"
                    + " use --backend cuda or auto");
        }
        if (kind == BackendKind.CUDA) {
            CudaRuntime.requireDevice(device);
        }
        return new BackendChoice(kind, null);
    }
}
