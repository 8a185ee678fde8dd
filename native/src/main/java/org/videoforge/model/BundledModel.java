package org.videoforge.model;

import java.util.Optional;

/**
 * One model the build can convert: its name (what {@code -m} takes), where it is in which npm
 * {@link ModelPackage} (a TF.js model.json or a Keras .h5), its scale, the pixel range it was
 * trained on (255 for [0,255], 1 for [0,1]) and, where the package publishes one, the path of its
 * output for the package's fixture (assets/fixture.png).
 */
public record BundledModel(String name, ModelPackage pkg, String path, int scale, float pixelRange,
                           String publishedSample) {

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
