package org.videoforge.model;

/** One model shipped in the jar: a scale of an {@link EsrganFamily} package, in FP32 and FP16. */
public record BundledModel(EsrganFamily family, int scale) {

    /** e.g. "esrgan-medium-x2", what {@code -m} takes. */
    public String name() {
        return family.modelName(scale);
    }
}
