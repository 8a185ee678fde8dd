package org.videoforge.job.cli;

import java.util.Locale;
import org.videoforge.codec.MediaInfo;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.tensorrt.EngineCache;
import org.videoforge.inference.tensorrt.TensorRtBackend;
import org.videoforge.inference.tensorrt.TensorRtRuntime;

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

    static BackendChoice resolve(String requested, int device, ModelRef model, Precision precision,
                                 MediaInfo source) {
        String r = requested.toLowerCase(Locale.ROOT);
        if (r.equals("auto")) {
            return auto(device, model, precision, source);
        }
        BackendKind kind;
        try {
            kind = BackendKind.parse(r);
        } catch (IllegalArgumentException e) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "--backend must be auto, cpu, cuda or tensorrt, not "
                    + requested);
        }
        if (kind == BackendKind.TENSORRT) {
            TensorRtRuntime.require();
        }
        if (kind != BackendKind.CPU) {
            CudaRuntime.requireDevice(device);
        }
        if (kind == BackendKind.TENSORRT) {
            buildEngine(device, model, precision, source);
        }
        return new BackendChoice(kind, null);
    }

    /** The best that works here: TensorRT if it can build an engine, else ONNX Runtime CUDA, else CPU. */
    private static BackendChoice auto(int device, ModelRef model, Precision precision, MediaInfo source) {
        if (!CudaRuntime.available()) {
            return new BackendChoice(BackendKind.CPU,
                    "backend auto: no usable CUDA device (" + CudaRuntime.unavailableReason() + "); using cpu");
        }
        CudaRuntime.requireDevice(device);
        if (!TensorRtRuntime.available()) {
            return new BackendChoice(BackendKind.CUDA, "backend auto: TensorRT is not available ("
                    + TensorRtRuntime.unavailableReason() + "); using ONNX Runtime CUDA on device " + device);
        }
        try {
            buildEngine(device, model, precision, source);
            return new BackendChoice(BackendKind.TENSORRT, "backend auto: using TensorRT on device " + device);
        } catch (EngineError e) {
            if (e.code() != ErrorCode.BACKEND_UNAVAILABLE) {
                throw e;
            }
            return new BackendChoice(BackendKind.CUDA, "backend auto: " + e.getMessage()
                    + "; falling back to ONNX Runtime CUDA on device " + device);
        }
    }

    /**
     * Builds (or finds in the cache) the engine for this video's frame size now, in the client, so
     * that a GPU where TensorRT cannot build fails before the job starts, with its code.
     */
    private static void buildEngine(int device, ModelRef model, Precision precision, MediaInfo source) {
        TensorRtRuntime.require();
        try (TensorRtBackend engine = TensorRtBackend.open(model, precision, device, source.video().height(),
                source.video().width(), 1, EngineCache.defaultCache())) {
            engine.model();
        }
    }
}
