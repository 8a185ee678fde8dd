package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The study's least-squared-error range: clips a rare outlier, keeps an evenly spread range whole. */
class Int8QuantizationStudyTest {
    @Test
    void aRareOutlierIsClippedAndAnEvenSpreadKeepsItsRange() {
        // A million values in [0, 1) and one at 4: the finer steps for the million outweigh clipping the one.
        float[] bulkAndOutlier = new float[1_000_000];
        for (int i = 0; i < bulkAndOutlier.length; i++) {
            bulkAndOutlier[i] = (i % 100) / 100f; // 0 .. 0.99
        }
        bulkAndOutlier[0] = 4f;
        float clipped = Int8QuantizationStudy.leastSquaredErrorRange(bulkAndOutlier, 4f);
        assertTrue(clipped < 4f * 0.5f, "an outlier at 4x the bulk, one in a million, is clipped: " + clipped);

        float[] even = new float[10_000];
        for (int i = 0; i < even.length; i++) {
            even[i] = i / (float) even.length;
        }
        assertEquals(1f, Int8QuantizationStudy.leastSquaredErrorRange(even, 1f), 0f);
    }
}
