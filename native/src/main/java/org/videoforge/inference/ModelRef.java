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
     * The bundled model used when {@code -m} is not given on the CPU, and wherever no backend is
     * known (job requests): the fastest. It is below a bicubic resize at x2 on the quality harness's
     * footage (docs/BENCHMARKS.md: -0.46 dB), but {@link #DEFAULT_GPU} takes 6.8x its CPU time
     * (11.3 s against 1.7 s a 640x360 frame on the 2-core VM at load 3-4; 12x the multiply-adds),
     * too slow for the README's first command without a GPU.
     */
    public static final String DEFAULT_BUNDLED = "esrgan-slim-x2";

    /**
     * The default on a GPU backend: idealo ISR's PSNR-trained RDN, the one bundled x2 model above
     * bicubic on the harness's footage: +1.18 dB PSNR-Y (and above Lanczos) on bicubic-downscaled
     * input; on area-downscaled x264 input 0.13 dB below bicubic, SSIM level, still 0.25 dB above
     * {@link #DEFAULT_BUNDLED}.
     */
    public static final String DEFAULT_GPU = "isr-psnr-small-x2";

    /** The default model of a backend: {@link #DEFAULT_GPU} on cuda and tensorrt, else {@link #DEFAULT_BUNDLED}. */
    public static String defaultFor(BackendKind backend) {
        return backend == BackendKind.CPU ? DEFAULT_BUNDLED : DEFAULT_GPU;
    }

    /** For the start-up line: why {@code reference} is what runs, if it is {@code backend}'s default; else "". */
    public static String defaultNote(String reference, BackendKind backend) {
        if (!reference.equals(defaultFor(backend))) {
            return "";
        }
        return backend == BackendKind.CPU
                ? " (the CPU default, for speed; below bicubic at x2; " + DEFAULT_GPU + ", the GPU default, beats it"
                        + " on clean input at ~7x the CPU time: -m " + DEFAULT_GPU + ", or `videoforge models`)"
                : " (the GPU default: beats bicubic at x2 on clean input; -m " + DEFAULT_BUNDLED
                        + " is ~2.6x faster on a GPU, below bicubic)";
    }

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
