package org.videoforge.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A model's int8 calibration: the input range of each convolution (symmetric, calibrated on real
 * footage) and the convolutions left in float, as {@link OnnxGraphBuilder#quantizeConvs} takes them.
 * Shipped as a TSV resource beside this class ("conv TAB range" or "conv TAB float", '#' comments),
 * written by the test tree's {@code QuantizedModelSet} from footage and judged on TensorRT before it
 * is committed (docs/BENCHMARKS.md, "Int8 and FP8 on TensorRT").
 */
public record Int8Calibration(Map<String, Float> inputRanges, Set<String> keepFloat) {
    private static final String FLOAT = "float";

    public Int8Calibration {
        inputRanges = Map.copyOf(inputRanges);
        keepFloat = Set.copyOf(keepFloat);
    }

    /** The resource {@code name} in this package. */
    static Int8Calibration resource(String name) {
        try (InputStream in = Int8Calibration.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no int8 calibration resource " + name + " beside "
                        + Int8Calibration.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Int8Calibration parse(String tsv) {
        Map<String, Float> ranges = new LinkedHashMap<>();
        Set<String> keepFloat = new LinkedHashSet<>();
        for (String line : tsv.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.strip().split("\t");
            if (f.length != 2) {
                throw new IllegalArgumentException("int8 calibration line is not 'conv<TAB>range|float': " + line);
            }
            if (f[1].equals(FLOAT)) {
                keepFloat.add(f[0]);
            } else {
                ranges.put(f[0], Float.parseFloat(f[1]));
            }
        }
        return new Int8Calibration(ranges, keepFloat);
    }

    /** The TSV form, convolutions in {@code order}, after {@code header} ('#' lines: where it came from). */
    public String toTsv(String header, Iterable<String> order) {
        StringBuilder s = new StringBuilder();
        header.lines().forEach(l -> s.append("# ").append(l).append('\n'));
        for (String conv : order) {
            Float range = inputRanges.get(conv);
            if (range == null && !keepFloat.contains(conv)) {
                throw new IllegalArgumentException("no range for convolution " + conv);
            }
            s.append(conv).append('\t').append(keepFloat.contains(conv) ? FLOAT : Float.toString(range)).append('\n');
        }
        return s.toString();
    }
}
