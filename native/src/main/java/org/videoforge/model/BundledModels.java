package org.videoforge.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.videoforge.frame.Precision;

/**
 * The models shipped inside the native jar, as classpath resources
 * /models/&lt;name&gt;-&lt;fp32|fp16&gt;.onnx, converted at build time by {@link BundledModelsBuilder}
 * from the npm packages of {@link ModelPackage}.
 *
 * <p>Which ones, from the quality harness (tools/quality-benchmark; README, Models): isr-psnr-small-x2,
 * idealo's PSNR-trained RDN in its float weights and [0,1] range, the one x2 model above bicubic
 * (+1.18 dB on bicubic-downscaled lossless footage; -0.13 dB after area + x264); esrgan-slim and
 * esrgan-medium at every scale (small, fast), and of esrgan-thick (a 110 MB package, 29 MB a scale
 * in FP32, ~10x medium's compute) only x4, well above bicubic at x4; and isr-psnr-small-x2-int8, the
 * same model with int8 convolutions ({@link Int8Calibration}), for TensorRT.
 * {@link #UNBUNDLED} can be converted (tests, the harness) but measured below bicubic. {@link #all()}
 * is what this build holds: the native pom's {@code videoforge.model.families} can leave packages out.
 */
public final class BundledModels {
    static final String RESOURCE_DIR = "/models/";

    // idealo's float32 weights in ISR's own range, [0,1] (ISR divides images by 255), not the legacy
    // package's uint8 copy run on [0,255] as UpscalerJS defines it.
    private static final BundledModel ISR_PSNR_SMALL_X2 = new BundledModel("isr-psnr-small-x2", ModelPackage.ISR,
            "models/psnr-small-quant-uint8/image-super-resolution-psnr-small.h5", 2, 1f, null);

    /** Every model the build bundles when its package is built. */
    static final List<BundledModel> CATALOGUE = List.of(
            BundledModel.esrgan(ModelPackage.SLIM, 2),
            BundledModel.esrgan(ModelPackage.SLIM, 3),
            BundledModel.esrgan(ModelPackage.SLIM, 4),
            BundledModel.esrgan(ModelPackage.SLIM, 8),
            BundledModel.esrgan(ModelPackage.MEDIUM, 2),
            BundledModel.esrgan(ModelPackage.MEDIUM, 3),
            BundledModel.esrgan(ModelPackage.MEDIUM, 4),
            BundledModel.esrgan(ModelPackage.MEDIUM, 8),
            BundledModel.esrgan(ModelPackage.THICK, 4),
            ISR_PSNR_SMALL_X2,
            // The GPU default with int8 convolutions: 1.28x as fast on TensorRT, 42 dB from its FP16
            // output on real footage (the gate is 40); the ESRGAN models were slower in int8 there.
            ISR_PSNR_SMALL_X2.int8("isr-psnr-small-x2-int8", "isr-psnr-small-x2.int8-ranges.tsv"));

    /**
     * Models that convert but are not bundled: esrgan-thick-x2, and esrgan-legacy's uint8-quantized
     * models as UpscalerJS defines them (psnr-small and div2k on [0,255], gans on [0,1]). Those
     * measured at x2 are below bicubic in PSNR-Y on the harness (docs/BENCHMARKS.md): thick-x2 -0.19
     * dB, legacy psnr-small -0.41 (the float isr-psnr-small-x2: +1.18), legacy div2k-x2 -2.06; the x3
     * and x4 ones were not scored.
     */
    static final List<BundledModel> UNBUNDLED = List.of(
            BundledModel.esrgan(ModelPackage.THICK, 2),
            legacy("psnr-small", "psnr-small", 2, 255f, "psnr-small"),
            legacy("div2k-x2", "div2k/x2", 2, 255f, "div2k/2x"),
            legacy("div2k-x3", "div2k/x3", 3, 255f, "div2k/3x"),
            legacy("div2k-x4", "div2k/x4", 4, 255f, "div2k/4x"),
            legacy("gans-x4", "gans", 4, 1f, "gans"));

    private static final List<BundledModel> ALL = CATALOGUE.stream()
            .filter(m -> BundledModels.class.getResource(RESOURCE_DIR + fileName(m.name(), Precision.FP32)) != null)
            .toList();

    private BundledModels() {
    }

    /** Every model this build bundles, in {@link #CATALOGUE} order. */
    public static List<BundledModel> all() {
        return ALL;
    }

    /** "esrgan-slim-x2", "esrgan-slim-x3", ... in the order of {@link #all()}. */
    public static List<String> names() {
        return ALL.stream().map(BundledModel::name).toList();
    }

    public static Optional<BundledModel> find(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The upscaling factor of a bundled model, if {@code name} is one. */
    public static Optional<Integer> scale(String name) {
        return find(name).map(BundledModel::scale);
    }

    /** The ONNX bytes of a bundled model, or empty if there is no such model (or it was not built). */
    public static Optional<byte[]> load(String name, Precision precision) {
        if (find(name).isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = BundledModels.class.getResourceAsStream(RESOURCE_DIR + fileName(name, precision))) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The size in bytes of a bundled model's file, without reading it; empty if it was not built. */
    public static OptionalLong size(String name, Precision precision) {
        URL url = BundledModels.class.getResource(RESOURCE_DIR + fileName(name, precision));
        if (url == null) {
            return OptionalLong.empty();
        }
        try {
            URLConnection c = url.openConnection();
            c.setUseCaches(false); // a cached jar connection would keep the jar file open
            long size = c.getContentLengthLong();
            c.getInputStream().close();
            return size < 0 ? OptionalLong.empty() : OptionalLong.of(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BundledModel legacy(String name, String dir, int scale, float range, String sample) {
        return new BundledModel("esrgan-legacy-" + name + (name.endsWith("-x" + scale) ? "" : "-x" + scale),
                ModelPackage.LEGACY, "models/" + dir + "/model.json", scale, range,
                "assets/samples/" + sample + "/result.png");
    }

    /** e.g. "esrgan-slim-x2-fp16.onnx". */
    static String fileName(String name, Precision precision) {
        return name + "-" + precision.name().toLowerCase(Locale.ROOT) + ".onnx";
    }
}
