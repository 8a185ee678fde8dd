package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.videoforge.frame.Precision;

class Int8CalibrationTest {

    @Test
    void theTsvFormReadsBackAsWritten() {
        Int8Calibration c = new Int8Calibration(Map.of("conv_2", 0.123456789f, "conv_3", 17.5f), Set.of("conv_1"));
        String tsv = c.toTsv("where it came from\nsecond line", List.of("conv_1", "conv_2", "conv_3"));
        assertTrue(tsv.startsWith("# where it came from\n# second line\nconv_1\tfloat\n"), tsv);
        assertEquals(c, Int8Calibration.parse(tsv));
    }

    @Test
    void aConvolutionWithoutARangeOrALineWithoutOneAreRefused() {
        Int8Calibration c = new Int8Calibration(Map.of("a", 1f), Set.of());
        assertThrows(IllegalArgumentException.class, () -> c.toTsv("", List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> Int8Calibration.parse("a\n"));
        assertThrows(NumberFormatException.class, () -> Int8Calibration.parse("a\tbig\n"));
    }

    @Test
    void theBundledCalibrationCoversEveryConvolutionOfItsModel() {
        BundledModel int8 = NpmFixture.catalogued("isr-psnr-small-x2-int8");
        Int8Calibration c = int8.calibration().orElseThrow();
        assertEquals(2, c.keepFloat().size(), "the first and last convolution stay float");
        // Converting checks that every other convolution has a range (quantizeConvs throws if not).
        byte[] onnx = NpmFixture.pkg(ModelPackage.ISR).toOnnx(int8, Precision.FP32);
        assertTrue(onnx.length > 0);
        assertTrue(c.inputRanges().values().stream().allMatch(r -> r > 0 && Float.isFinite(r)),
                c.inputRanges().toString());
    }
}
