package org.videoforge.inference.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoforge.device.FrameDevice;
import org.videoforge.device.HostFrameDevice;
import org.videoforge.frame.Precision;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.OrtCpuBackend;
import org.videoforge.inference.TestTensors;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.model.SrVggNetCompact;

/** Tiled inference against whole-frame inference of the same model, on the CPU backend. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TiledInferenceTest {
    @TempDir
    Path dir;

    private FrameDevice device;

    @BeforeAll
    void open() {
        device = new HostFrameDevice();
    }

    @AfterAll
    void close() {
        device.close();
    }

    @ParameterizedTest(name = "x{0} {1}, tile {2} overlap {3}")
    @CsvSource({"2, FP32, 48, 16", "4, FP32, 64, 16", "2, FP16, 48, 16"})
    void tiledOutputMatchesTheWholeFrameWithoutSeams(int scale, Precision p, int tile, int overlap)
            throws IOException {
        Path model = Files.write(dir.resolve("compact.onnx"), SrVggNetCompact.build(scale, p, 11));
        int w = 136;
        int h = 100;
        TilePlan plan = TilePlan.of(w, h, tile, overlap, scale);
        try (OrtCpuBackend backend = OrtCpuBackend.open(ModelRef.of(model.toString()), p, 2);
             FrameBuffer in = device.acquire(p.tensorBytes(1, h, w));
             FrameBuffer whole = device.acquire(p.tensorBytes(1, h * scale, w * scale));
             FrameBuffer tiled = device.acquire(p.tensorBytes(1, h * scale, w * scale))) {
            TestTensors.fillImage(in, p, w, h, 7);
            backend.run(in, whole, 1, h, w);
            TiledInference.run(backend, device, plan, in, tiled, h, w);

            float[] a = TestTensors.read(whole, p, 3 * h * scale * w * scale);
            float[] b = TestTensors.read(tiled, p, a.length);
            double psnr = TestTensors.psnr(a, b);
            SeamProfile seams = SeamProfile.of(a, b, w * scale, h * scale, plan, scale);
            System.out.printf("tiled vs whole x%d %s (%s): PSNR %.1f dB; max error at blend centres %.5f, "
                    + "elsewhere %.5f; mean jump across blend centres tiled %.5f, whole %.5f%n", scale, p, plan, psnr,
                    seams.maxErrorAtCentres, seams.maxErrorElsewhere, seams.jumpTiled, seams.jumpWhole);
            assertTrue(plan.tiles().size() >= 4, plan.toString());
            assertTrue(psnr >= 45, "PSNR " + psnr);
            assertTrue(seams.maxErrorAtCentres <= seams.maxErrorElsewhere, "the blend is where the error peaks: "
                    + seams.maxErrorAtCentres + " > " + seams.maxErrorElsewhere);
            assertEquals(seams.jumpWhole, seams.jumpTiled, 0.02 * seams.jumpWhole + 1e-3,
                    "no step across the blend: mean |difference of neighbours| like the whole frame's");
        }
    }

    /**
     * Errors (|tiled - whole|, all planes) on the output columns and rows at the centre of each blend ramp
     * versus everywhere else, and the mean step between neighbouring pixels across those centres.
     */
    private record SeamProfile(double maxErrorAtCentres, double maxErrorElsewhere, double jumpTiled,
                               double jumpWhole) {
        static SeamProfile of(float[] whole, float[] tiled, int ow, int oh, TilePlan plan, int scale) {
            boolean[] centreX = new boolean[ow];
            boolean[] centreY = new boolean[oh];
            for (TilePlan.Tile t : plan.tiles()) {
                var f = t.feather();
                if (f.fallXLength() > 0) {
                    centreX[t.x() * scale + f.fallX() + f.fallXLength() / 2] = true;
                }
                if (f.fallYLength() > 0) {
                    centreY[t.y() * scale + f.fallY() + f.fallYLength() / 2] = true;
                }
            }
            double atCentres = 0;
            double elsewhere = 0;
            double jumpT = 0;
            double jumpW = 0;
            long jumps = 0;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        int i = (c * oh + y) * ow + x;
                        double e = Math.abs(whole[i] - tiled[i]);
                        if (centreX[x] || centreY[y]) {
                            atCentres = Math.max(atCentres, e);
                        } else {
                            elsewhere = Math.max(elsewhere, e);
                        }
                        if (centreX[x] && x > 0) {
                            jumpT += Math.abs(tiled[i] - tiled[i - 1]);
                            jumpW += Math.abs(whole[i] - whole[i - 1]);
                            jumps++;
                        }
                    }
                }
            }
            return new SeamProfile(atCentres, elsewhere, jumpT / jumps, jumpW / jumps);
        }
    }
}
