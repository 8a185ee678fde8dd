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
 * from the npm packages of {@link EsrganFamily}.
 *
 * <p>Which ones, from the quality harness (tools/quality-benchmark; README, Models): esrgan-slim
 * and esrgan-medium at every scale (small, fast), and of esrgan-thick (a 110 MB package, 29 MB a
 * scale in FP32, ~10x medium's compute) only x4, the one bundled model well above bicubic (+0.8 dB
 * at x4); thick x2 is below bicubic (-0.19 dB) and is left out. {@link #all()} is what this build holds:
 * the native pom's {@code videoforge.model.families} can leave families out.
 */
public final class BundledModels {
    static final String RESOURCE_DIR = "/models/";

    /** Every model the build bundles when its family is built. */
    static final List<BundledModel> CATALOGUE = List.of(
            new BundledModel(EsrganFamily.SLIM, 2),
            new BundledModel(EsrganFamily.SLIM, 3),
            new BundledModel(EsrganFamily.SLIM, 4),
            new BundledModel(EsrganFamily.SLIM, 8),
            new BundledModel(EsrganFamily.MEDIUM, 2),
            new BundledModel(EsrganFamily.MEDIUM, 3),
            new BundledModel(EsrganFamily.MEDIUM, 4),
            new BundledModel(EsrganFamily.MEDIUM, 8),
            new BundledModel(EsrganFamily.THICK, 4));

    private static final List<BundledModel> ALL = CATALOGUE.stream()
            .filter(m -> BundledModels.class.getResource(RESOURCE_DIR + fileName(m.name(), Precision.FP32)) != null)
            .toList();

    private BundledModels() {
    }

    /** Every model this build bundles, family by family, scales ascending. */
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

    /** e.g. "esrgan-slim-x2-fp16.onnx". */
    static String fileName(String name, Precision precision) {
        return name + "-" + precision.name().toLowerCase(Locale.ROOT) + ".onnx";
    }
}
