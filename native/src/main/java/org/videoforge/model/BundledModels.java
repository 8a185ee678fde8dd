package org.videoforge.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.videoforge.frame.Precision;

/**
 * The models shipped inside the native jar, as classpath resources
 * /models/&lt;name&gt;-&lt;fp32|fp16&gt;.onnx, converted at build time by {@link BundledModelsBuilder}
 * from {@link EsrganSlimPackage}.
 */
public final class BundledModels {
    static final String RESOURCE_DIR = "/models/";

    private BundledModels() {
    }

    /** "esrgan-slim-x2", "esrgan-slim-x3", "esrgan-slim-x4", "esrgan-slim-x8". */
    public static List<String> names() {
        return EsrganSlimPackage.SCALES.stream().map(EsrganSlimPackage::modelName).collect(Collectors.toList());
    }

    /** The upscaling factor of a bundled model, if {@code name} is one. */
    public static Optional<Integer> scale(String name) {
        return EsrganSlimPackage.SCALES.stream().filter(s -> EsrganSlimPackage.modelName(s).equals(name)).findFirst();
    }

    /** The ONNX bytes of a bundled model, or empty if there is no such model (or it was not built). */
    public static Optional<byte[]> load(String name, Precision precision) {
        if (!names().contains(name)) {
            return Optional.empty();
        }
        try (InputStream in = BundledModels.class.getResourceAsStream(RESOURCE_DIR + fileName(name, precision))) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** e.g. "esrgan-slim-x2-fp16.onnx". */
    static String fileName(String name, Precision precision) {
        return name + "-" + precision.name().toLowerCase(Locale.ROOT) + ".onnx";
    }
}
