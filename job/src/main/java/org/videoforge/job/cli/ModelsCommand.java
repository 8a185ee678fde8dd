package org.videoforge.job.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.videoforge.frame.Precision;
import org.videoforge.inference.ModelRef;
import org.videoforge.model.BundledModel;
import org.videoforge.model.BundledModels;
import org.videoforge.model.ModelFigures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code videoforge models}: the bundled models with their scale, size, speed and quality. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists the bundled models (-m NAME) with their scale, file size, CPU speed and quality"
                + " against a bicubic resize, as the quality harness measured them (docs/BENCHMARKS.md).")
public final class ModelsCommand implements Callable<Integer> {

    @Option(names = "--names", description = "Print the names only, one a line.")
    boolean namesOnly;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (namesOnly) {
            BundledModels.names().forEach(out::println);
            out.flush();
            return ExitCodes.OK;
        }
        String row = "%-22s %5s %7s %7s %9s %11s %18s%n";
        out.printf(row, "model", "scale", "FP32 MB", "FP16 MB", "GMAC", "CPU s", "PSNR-Y vs bicubic");
        out.printf(row, "", "", "", "", "/frame", "/frame", "(lossless / x264)");
        String measured = null;
        for (BundledModel m : BundledModels.all()) {
            var figures = ModelFigures.of(m.name());
            out.printf(row, m.name(), "x" + m.scale(),
                    megabytes(BundledModels.size(m.name(), Precision.FP32)),
                    megabytes(BundledModels.size(m.name(), Precision.FP16)),
                    figures.map(f -> String.format(Locale.ROOT, "%.0f", f.gmacPerFrame())).orElse("-"),
                    figures.filter(f -> !Double.isNaN(f.cpuMsPerFrame()))
                            .map(f -> String.format(Locale.ROOT, "%.1f", f.cpuMsPerFrame() / 1000)).orElse("-"),
                    figures.map(f -> decibels(f.psnrVsBicubic()) + " / " + decibels(f.psnrVsBicubicX264()) + " dB")
                            .orElse("-"));
            measured = figures.map(ModelFigures.Figures::measured).orElse(measured);
        }
        out.printf("%ndefault: %s on a GPU (beats bicubic at x2 on lossless input, not after x264); %s on the CPU"
                + " (~7x faster, below bicubic)%n", ModelRef.DEFAULT_GPU, ModelRef.DEFAULT_BUNDLED);
        out.println("GMAC: multiply-adds of one 640x360 input frame (relative speed anywhere); CPU s: the inference"
                + " stage per such frame on the harness's machine" + (measured == null ? "" : " (" + measured + ")"));
        out.println("PSNR-Y: mean luma PSNR over real footage downscaled by the model's scale (bicubic, lossless;"
                + " area + x264 CRF 23) minus that of a bicubic upscale; tools/quality-benchmark, docs/BENCHMARKS.md");
        out.flush();
        return ExitCodes.OK;
    }

    private static String decibels(double db) {
        return Double.isNaN(db) ? "n/a" : String.format(Locale.ROOT, "%+.2f", db);
    }

    private static String megabytes(OptionalLong bytes) {
        return bytes.isPresent() ? String.format(Locale.ROOT, "%.1f", bytes.getAsLong() / 1e6) : "not built";
    }
}
