package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoforge.frame.Precision;

/**
 * Each bundled model, as the jar ships it, reproduces the output its npm package publishes for
 * the package's own fixture: assets/fixture.png (128x128) upscaled is e.g. assets/samples/&lt;s&gt;x/result.png,
 * written by UpscalerJS running the original TF.js model. So do the unbundled models of
 * esrgan-legacy, converted here (uint8-quantized weights). The published images are 8-bit, so ours
 * is rounded to 8 bits too and compared code value by code value.
 *
 * <p>Tolerance, FP32: no value off by more than 1 (a rounding boundary), at most 0.1% off at all.
 * FP16 (weights and activations rounded to half precision): at most 0.5% of values off by more
 * than 1 and PSNR to the published image at least 50 dB. Models without a published sample (x8 of
 * slim and medium, isr-psnr-small-x2) are checked against {@link KerasReference} by
 * TfjsLayersConverterTest.
 */
class PublishedSamplesTest {

    static Stream<Arguments> modelsWithSamples() {
        return Stream.concat(BundledModels.all().stream(), BundledModels.UNBUNDLED.stream()
                        .filter(m -> m.pkg() == ModelPackage.LEGACY))
                .filter(m -> m.sample().filter(NpmFixture.pkg(m.pkg())::has).isPresent())
                .flatMap(m -> Stream.of(Precision.values()).map(p -> Arguments.of(m, p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsWithSamples")
    void reproducesThePackagesPublishedSample(BundledModel model, Precision precision) throws IOException {
        PackageFiles pkg = NpmFixture.pkg(model.pkg());
        BufferedImage fixture = png(pkg.file("assets/fixture.png"));
        BufferedImage expected = png(pkg.file(model.sample().orElseThrow()));
        int s = model.scale();
        assertEquals(fixture.getWidth() * s, expected.getWidth());
        assertEquals(fixture.getHeight() * s, expected.getHeight());

        OrtCpu.Tensor out;
        byte[] onnx = BundledModels.load(model.name(), precision).orElseGet(() -> pkg.toOnnx(model, precision));
        try (OrtCpu ort = new OrtCpu(onnx)) {
            out = ort.run(planar(fixture), precision);
        }
        int h = expected.getHeight();
        int w = expected.getWidth();
        assertArrayEquals(new long[] {1, 3, h, w}, out.shape());
        long off = 0;
        long offByMore = 0;
        int max = 0;
        double squared = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int ours = Math.round(out.data()[(c * h + y) * w + x] * 255f);
                    int theirs = (expected.getRGB(x, y) >> (16 - 8 * c)) & 0xff;
                    int d = Math.abs(ours - theirs);
                    off += d > 0 ? 1 : 0;
                    offByMore += d > 1 ? 1 : 0;
                    max = Math.max(max, d);
                    squared += (double) d * d;
                }
            }
        }
        long values = 3L * h * w;
        double psnr = 10 * Math.log10(255.0 * 255.0 / Math.max(squared / values, 1e-12));
        String stats = String.format("%s %s: max %d, %d of %d values off, %d by more than 1, PSNR %.1f dB",
                model.name(), precision, max, off, values, offByMore, psnr);
        System.out.println(stats);
        if (precision == Precision.FP32) {
            assertTrue(max <= 1 && off <= values / 1000, stats);
        } else {
            assertTrue(offByMore <= values / 200 && psnr >= 50, stats);
        }
    }

    private static BufferedImage png(byte[] bytes) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    /** The RGB of an image as a [1,3,h,w] tensor in [0,1] (the fixture's alpha is opaque throughout). */
    private static OrtCpu.Tensor planar(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        float[] d = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                assertEquals(0xff, argb >>> 24, "fixture pixel with alpha");
                for (int c = 0; c < 3; c++) {
                    d[(c * h + y) * w + x] = ((argb >> (16 - 8 * c)) & 0xff) / 255f;
                }
            }
        }
        return new OrtCpu.Tensor(new long[] {1, 3, h, w}, d);
    }
}
