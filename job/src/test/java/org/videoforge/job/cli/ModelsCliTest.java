package org.videoforge.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.videoforge.inference.ModelRef;
import org.videoforge.job.testing.CliResult;
import org.videoforge.model.BundledModel;
import org.videoforge.model.BundledModels;
import org.videoforge.model.ModelFigures;

class ModelsCliTest {

    @Test
    void listsEveryBundledModelWithScaleSizeSpeedAndQuality() {
        CliResult r = CliResult.run("models");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("default: " + ModelRef.DEFAULT_GPU + " on a GPU (beats bicubic at x2 on lossless"
                + " input, not after x264); " + ModelRef.DEFAULT_BUNDLED + " on the CPU"), r.out);
        for (BundledModel m : BundledModels.all()) {
            String row = r.out.lines().filter(l -> l.startsWith(m.name() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(m.name() + " not listed:\n" + r.out));
            List<String> cells = List.of(row.trim().split("\\s+"));
            assertEquals("x" + m.scale(), cells.get(1), row);
            assertTrue(Double.parseDouble(cells.get(2)) > 0.1, row); // FP32 MB
            assertTrue(Double.parseDouble(cells.get(3)) > 0.1, row); // FP16 MB
            // every bundled model has measured figures, and they are the ones printed
            ModelFigures.Figures f = ModelFigures.of(m.name())
                    .orElseThrow(() -> new AssertionError(m.name() + " has no row in models/figures.tsv"));
            assertEquals(f.gmacPerFrame(), Double.parseDouble(cells.get(4)), 0.51, row);
            if (Double.isNaN(f.cpuMsPerFrame())) {
                assertEquals("-", cells.get(5), row);
            } else {
                assertEquals(f.cpuMsPerFrame() / 1000, Double.parseDouble(cells.get(5)), 0.051, row);
            }
            String quality = Double.isNaN(f.psnrVsBicubic()) ? "n/a" : String.format(Locale.ROOT, "%+.2f", f.psnrVsBicubic());
            assertTrue(row.contains(quality + " / "), row);
        }
    }

    @Test
    void namesAreOneALine() {
        CliResult r = CliResult.run("models", "--names");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(BundledModels.names(), r.out.lines().toList());
    }

    @Test
    void unknownFlagIsAUsageError() {
        CliResult r = CliResult.run("models", "--frobnicate");
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertTrue(r.err.contains("E1000"), r.err);
    }
}
