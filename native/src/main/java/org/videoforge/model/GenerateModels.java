package org.videoforge.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.videoforge.frame.Precision;

/**
 * Writes seeded stand-in models of the Real-ESRGAN family (and copies of bundled models) for
 * benchmarks: {@code GenerateModels --out DIR [--precision fp32|fp16] [--models LIST] [--seed N]}
 * with LIST of compact-x&lt;s&gt; (SRVGGNetCompact, s in 1..8), rrdb-x4 (RRDBNet, 23 blocks) and
 * esrgan-slim-x&lt;s&gt; (bundled). Files are named &lt;model&gt;-&lt;precision&gt;.onnx, e.g.
 * compact-x4-fp32.onnx.
 */
public final class GenerateModels {
    public static final long DEFAULT_SEED = 42;
    public static final String DEFAULT_MODELS = "compact-x2,compact-x4,rrdb-x4";

    private GenerateModels() {
    }

    public static void main(String[] args) throws IOException {
        try {
            for (Path p : run(args)) {
                System.out.println(p);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: GenerateModels --out DIR [--precision fp32|fp16] [--models "
                    + DEFAULT_MODELS + "] [--seed N]");
            System.exit(2);
        }
    }

    /** Parses the arguments, writes the models, returns the files written. */
    public static List<Path> run(String[] args) throws IOException {
        Path out = null;
        Precision precision = Precision.FP32;
        String models = DEFAULT_MODELS;
        long seed = DEFAULT_SEED;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--out":
                    out = Path.of(required(args[i], value));
                    break;
                case "--precision":
                    precision = Precision.parse(required(args[i], value));
                    break;
                case "--models":
                    models = required(args[i], value);
                    break;
                case "--seed":
                    seed = Long.parseLong(required(args[i], value));
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            i++;
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        for (String model : models.split(",")) {
            model = model.trim();
            Path target = out.resolve(model + "-" + precision.name().toLowerCase(Locale.ROOT) + ".onnx");
            Files.write(target, build(model, precision, seed));
            written.add(target);
        }
        return written;
    }

    /** The bytes of one named model. */
    public static byte[] build(String model, Precision precision, long seed) {
        if (model.startsWith("compact-x")) {
            return SrVggNetCompact.build(scale(model, "compact-x"), precision, seed);
        }
        if (model.equals("rrdb-x4")) {
            return RrdbNet.build(precision, seed);
        }
        if (BundledModels.names().contains(model)) {
            return BundledModels.load(model, precision).orElseThrow(() ->
                    new IllegalArgumentException(model + " is not on the classpath (build the native module)"));
        }
        throw new IllegalArgumentException("unknown model " + model);
    }

    private static int scale(String model, String prefix) {
        try {
            return Integer.parseInt(model.substring(prefix.length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad scale in " + model);
        }
    }

    private static String required(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }
}
