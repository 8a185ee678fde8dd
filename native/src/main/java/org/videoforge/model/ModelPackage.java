package org.videoforge.model;

import java.util.Locale;

/**
 * The npm packages of UpscalerJS (MIT, Kevin Scott) that the build converts models from, each
 * fetched once with {@code npm pack} into the build's npm folder. Their trained models are
 * idealo ISR's architectures trained on DIV2K, stored as TF.js layers-models (and, in
 * {@link #ISR}, the Keras HDF5 file idealo published), with a fixture and the package's own
 * outputs for it under assets/ (not in {@link #ISR}).
 *
 * <ul>
 * <li>{@link #SLIM}, {@link #MEDIUM}, {@link #THICK}: esrgan-slim (RDN C1-D2-G4), esrgan-medium (RDN
 * C1-D10-G64), esrgan-thick (RRDN C4-D3-G32), models/x&lt;s&gt;/ for x2, x3, x4, x8.
 * <li>{@link #LEGACY}: esrgan-legacy, the models of UpscalerJS before 1.0 (RDN C3-D10-G64 psnr-small
 * and div2k x2/x3/x4, RRDN gans x4) with uint8-quantized weights; fetched for the tests (its
 * published samples check the converter on quantized weights), none bundled.
 * <li>{@link #ISR}: @upscalerjs/models 0.9.0, which also carries idealo's own float32 Keras file of
 * psnr-small (image-super-resolution-psnr-small.h5, Apache-2.0 weights of idealo ISR).
 * </ul>
 */
public enum ModelPackage {
    SLIM("@upscalerjs/esrgan-slim", "1.0.0"),
    MEDIUM("@upscalerjs/esrgan-medium", "1.0.0"),
    THICK("@upscalerjs/esrgan-thick", "1.0.0"),
    LEGACY("@upscalerjs/esrgan-legacy", "1.0.0"),
    ISR("@upscalerjs/models", "0.9.0");

    private final String npmName;
    private final String version;

    ModelPackage(String npmName, String version) {
        this.npmName = npmName;
        this.version = version;
    }

    /** "slim", "medium", "thick", "legacy", "isr": what the native pom's videoforge.model.families names. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** e.g. "@upscalerjs/esrgan-slim@1.0.0", what {@code npm pack} is given. */
    public String npmSpec() {
        return npmName + "@" + version;
    }

    /** The file name {@code npm pack} writes, e.g. "upscalerjs-esrgan-slim-1.0.0.tgz". */
    public String tarball() {
        return npmName.substring(1).replace('/', '-') + "-" + version + ".tgz";
    }
}
