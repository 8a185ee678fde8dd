package org.videoforge.inference;

import java.util.Locale;

/** Inference runtimes the engine can drive; {@code --backend}. */
public enum BackendKind {
    /** ONNX Runtime's CPU execution provider: runs anywhere, and is the numerical oracle. */
    CPU,
    /** ONNX Runtime's CUDA execution provider on device memory. */
    CUDA,
    /** TensorRT engines built from the ONNX model. */
    TENSORRT;

    public static BackendKind parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
