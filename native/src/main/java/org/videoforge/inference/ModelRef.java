package org.videoforge.inference;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.model.BundledModels;

/**
 * What {@code -m} names: a path to an ONNX file, or the name of a model bundled in the jar
 * (e.g. {@code esrgan-slim-x2}, which exists in FP32 and FP16). Serializable, so operators carry
 * the reference and load the bytes where they run.
 */
public final class ModelRef implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The bundled model used when {@code -m} is not given, on every backend. No model of the
     * UpscalerJS packages beats a bicubic resize at x2 on the quality harness's footage
     * (docs/BENCHMARKS.md; esrgan-thick-x2 comes closest at -0.19 dB, with ~30x this one's
     * compute), so the default stays the fastest.
     */
    public static final String DEFAULT_BUNDLED = "esrgan-slim-x2";

    private final String reference;

    private ModelRef(String reference) {
        this.reference = reference;
    }

    public static ModelRef of(String reference) {
        return new ModelRef(reference == null || reference.isBlank() ? DEFAULT_BUNDLED : reference);
    }

    public String reference() {
        return reference;
    }

    public boolean isBundled() {
        return BundledModels.names().contains(reference);
    }

    /** The model bytes; for bundled models, the variant of the requested precision. */
    public byte[] load(Precision precision) {
        if (isBundled()) {
            Optional<byte[]> bytes = BundledModels.load(reference, precision);
            return bytes.orElseThrow(() -> new EngineError(ErrorCode.MODEL_NOT_FOUND,
                    "bundled model " + reference + " has no " + precision + " variant in this build"));
        }
        Path path = Paths.get(reference);
        if (!Files.isRegularFile(path)) {
            throw new EngineError(ErrorCode.MODEL_NOT_FOUND, "model " + reference
                    + " is neither a file nor a bundled model " + BundledModels.names());
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new EngineError(ErrorCode.MODEL_NOT_FOUND, "cannot read model " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return reference;
    }
}
