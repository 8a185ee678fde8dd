package org.videoforge.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoforge.job.testing.CliResult;
import org.videoforge.testing.FfmpegCli;

/**
 * Colour must survive the round trip NV12 -> RGB -> model -> RGB -> NV12 under each stream's own
 * matrix and range: decoding the output with the tagged matrix gives each bar's colour back.
 */
class ColorBarsCliTest {
    private static final int W = 224;
    private static final int H = 128;
    /** Eight vertical bars, as ffmpeg's pal100bars draws them. */
    private static final int BARS = 8;

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        FfmpegCli.assumeInstalled();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "smpte170m, tv, bt601, limited",
        "bt709, tv, bt709, limited",
        "bt709, pc, bt709, full",
    })
    void barsKeepTheirColour(String colorspace, String range, String matrix, String swsRange) {
        Path in = dir.resolve("bars-" + colorspace + "-" + range + ".mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "pal100bars=size=" + W + "x" + H + ":rate=10:duration=0.3",
                "-vf", "scale=out_color_matrix=" + matrix + ":out_range=" + swsRange + ",format=yuv420p",
                "-c:v", "libx264", "-qp", "0", "-colorspace", colorspace, "-color_range", range,
                "-color_primaries", "bt709", "-color_trc", "bt709", in.toString());
        Path out = dir.resolve("bars-out.mp4");
        CliResult r = CliResult.run("-i", in.toString(), "-o", out.toString(), "--no-progress");
        assertEquals(0, r.exitCode, r.toString());

        byte[] src = FfmpegCli.rgbFrame(in, 1, matrix, swsRange);
        byte[] dst = FfmpegCli.rgbFrame(out, 1, matrix, swsRange);
        assertEquals(3 * W * H, src.length);
        assertEquals(3 * 4 * W * H, dst.length, "x2 output");
        for (int bar = 0; bar < BARS; bar++) {
            double[] a = barMean(src, W, H, bar);
            double[] b = barMean(dst, 2 * W, 2 * H, bar);
            for (int c = 0; c < 3; c++) {
                assertTrue(Math.abs(a[c] - b[c]) <= 6,
                        colorspace + "/" + range + " bar " + bar + " channel " + c + ": in " + a[c] + " out " + b[c]);
            }
        }
    }

    /** Mean RGB of the middle half of one bar (away from edges, where the model may ring). */
    private static double[] barMean(byte[] rgb, int w, int h, int bar) {
        int x0 = bar * w / BARS + w / (BARS * 4);
        int x1 = (bar + 1) * w / BARS - w / (BARS * 4);
        double[] sum = new double[3];
        int n = 0;
        for (int y = h / 4; y < 3 * h / 4; y++) {
            for (int x = x0; x < x1; x++) {
                for (int c = 0; c < 3; c++) {
                    sum[c] += rgb[3 * (y * w + x) + c] & 0xff;
                }
                n++;
            }
        }
        for (int c = 0; c < 3; c++) {
            sum[c] /= n;
        }
        return sum;
    }
}
