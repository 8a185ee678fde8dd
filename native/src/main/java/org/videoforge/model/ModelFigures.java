package org.videoforge.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the quality harness (tools/quality-benchmark) measured for each bundled model, shipped as
 * the resource /models/figures.tsv so that {@code videoforge models} can show it: the compute of a
 * 640x360 frame, the CPU time the harness measured for one, and luma PSNR against a bicubic resize
 * at the model's scale, averaged over the harness's real footage, for both degradations. Copied from
 * the harness's results by hand, with the date; docs/BENCHMARKS.md has the full table and command.
 */
public final class ModelFigures {
    static final String RESOURCE = "/models/figures.tsv";

    /**
     * One model's row. {@code gmacPerFrame}: multiply-adds of a 640x360 input frame, in billions
     * (from the layer shapes: the speed on any machine, relatively); {@code cpuMsPerFrame}: the
     * CLI's inference stage on such frames, ONNX Runtime CPU on the harness's machine;
     * {@code psnrVsBicubic*}: mean luma PSNR of the model minus that of bicubic, in dB, after a
     * bicubic (lossless) or an area + x264 CRF 23 downscale; NaN where not measured.
     */
    public record Figures(String model, double gmacPerFrame, double cpuMsPerFrame, double psnrVsBicubic,
                          double psnrVsBicubicX264, String measured) {
    }

    private static final Map<String, Figures> ALL = read();

    private ModelFigures() {
    }

    public static Optional<Figures> of(String model) {
        return Optional.ofNullable(ALL.get(model));
    }

    private static Map<String, Figures> read() {
        Map<String, Figures> rows = new LinkedHashMap<>();
        try (InputStream in = ModelFigures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return rows;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                rows.put(f[0], new Figures(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), f[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
