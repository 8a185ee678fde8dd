package org.videoforge.model;

import java.util.List;

/**
 * The three ESRGAN packages of UpscalerJS on npm (MIT, Kevin Scott), version 1.0.0: trained
 * generators for x2, x3, x4 and x8 as TF.js layers-models under models/x&lt;scale&gt;/, with a
 * fixture and the package's own outputs for it under assets/.
 *
 * <p>Pixel ranges are the packages' model definitions: the RDNs (slim, medium) take and return
 * [0, 255], the RRDN (thick) [0, 1]. The architectures are those of idealo's image-super-resolution
 * (ISR), which trained them on DIV2K: slim RDN C1-D2-G4, medium RDN C1-D10-G64, thick RRDN
 * C4-D3-G32 with T=10 blocks.
 */
public enum EsrganFamily {
    SLIM("esrgan-slim", 255f),
    MEDIUM("esrgan-medium", 255f),
    THICK("esrgan-thick", 1f);

    public static final String VERSION = "1.0.0";
    public static final List<Integer> SCALES = List.of(2, 3, 4, 8);

    private final String id;
    private final float pixelRange;

    EsrganFamily(String id, float pixelRange) {
        this.id = id;
        this.pixelRange = pixelRange;
    }

    /** "esrgan-slim", "esrgan-medium", "esrgan-thick". */
    public String id() {
        return id;
    }

    /** The pixel value range the Keras model takes and returns: 255 for [0, 255], 1 for [0, 1]. */
    public float pixelRange() {
        return pixelRange;
    }

    /** e.g. "@upscalerjs/esrgan-slim@1.0.0", what {@code npm pack} is given. */
    public String npmSpec() {
        return "@upscalerjs/" + id + "@" + VERSION;
    }

    /** The file name {@code npm pack} writes, e.g. "upscalerjs-esrgan-slim-1.0.0.tgz". */
    public String tarball() {
        return "upscalerjs-" + id + "-" + VERSION + ".tgz";
    }

    /** The model name of one scale, e.g. "esrgan-slim-x2". */
    public String modelName(int scale) {
        return id + "-x" + scale;
    }
}
