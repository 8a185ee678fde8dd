package org.videoforge.model;

import java.util.Optional;

/**
 * One model the build can convert: its name (what {@code -m} takes), where it is in which npm
 * {@link ModelPackage} (a TF.js model.json or a Keras .h5), its scale, the pixel range it was
 * trained on (255 for [0,255], 1 for [0,1]), where the package publishes one, the path of its
 * output for the package's fixture (assets/fixture.png), and for an int8 model, the resource of its
 * {@link Int8Calibration}.
 */
public record BundledModel(String name, ModelPackage pkg, String path, int scale, float pixelRange,
                           String publishedSample, String int8Calibration) {

    public BundledModel(String name, ModelPackage pkg, String path, int scale, float pixelRange,
                        String publishedSample) {
        this(name, pkg, path, scale, pixelRange, publishedSample, null);
    }

    /**
     * This model with int8 convolutions at the ranges of the {@link Int8Calibration} resource
     * {@code calibration}, named {@code name}.
     */
    BundledModel int8(String int8Name, String calibration) {
        return new BundledModel(int8Name, pkg, path, scale, pixelRange, null, calibration);
    }

    /** The int8 calibration its convolutions are quantized with, if it is an int8 model. */
    public Optional<Int8Calibration> calibration() {
        return Optional.ofNullable(int8Calibration).map(Int8Calibration::resource);
    }

    /**
     * esrgan-slim, -medium or -thick at one scale: models/x&lt;s&gt;/model.json, with the range of
     * UpscalerJS's model definition (the RDNs [0,255], thick's RRDN [0,1]).
     */
    static BundledModel esrgan(ModelPackage pkg, int scale) {
        return new BundledModel("esrgan-" + pkg.id() + "-x" + scale, pkg, "models/x" + scale + "/model.json", scale,
                pkg == ModelPackage.THICK ? 1f : 255f, "assets/samples/" + scale + "x/result.png");
    }

    /** The published output for the package's fixture, if the package has one for this model. */
    public Optional<String> sample() {
        return Optional.ofNullable(publishedSample);
    }
}
