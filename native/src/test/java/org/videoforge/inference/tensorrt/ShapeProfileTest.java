package org.videoforge.inference.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.inference.ModelSpec;

class ShapeProfileTest {
    private static final ModelSpec DYNAMIC = new ModelSpec("input", "output", Precision.FP16, 2, -1, -1, true);
    private static final ModelSpec DYNAMIC_HW_BATCH1 = new ModelSpec("input", "output", Precision.FP16, 2, -1, -1, false);
    private static final ModelSpec FIXED = new ModelSpec("x", "y", Precision.FP32, 4, 64, 96, false);

    @Test
    void dynamicModelsGetBatchOneToMaxAtTheVideoSize() {
        ShapeProfile p = ShapeProfile.forVideo(DYNAMIC, 360, 640, 2, 4);
        assertArrayEquals(new long[] {1, 3, 360, 640}, p.min());
        assertArrayEquals(new long[] {2, 3, 360, 640}, p.opt());
        assertArrayEquals(new long[] {4, 3, 360, 640}, p.max());
        assertEquals(360, p.height());
        assertEquals(640, p.width());
        assertEquals(2, p.optBatch());
        assertEquals(4, p.maxBatch());
        assertTrue(p.variesInBatch());
        assertEquals("input", p.inputName());
        assertEquals("input:1x3x360x640/2x3x360x640/4x3x360x640", p.canonical());
    }

    @Test
    void theShortFormOptimisesForTheMaximumBatch() {
        ShapeProfile p = ShapeProfile.forVideo(DYNAMIC, 720, 1280, 3);
        assertArrayEquals(new long[] {3, 3, 720, 1280}, p.opt());
        assertArrayEquals(new long[] {1, 3, 720, 1280}, p.min());
        ShapeProfile one = ShapeProfile.forVideo(DYNAMIC, 720, 1280, 1);
        assertFalse(one.variesInBatch());
        assertArrayEquals(one.min(), one.max());
    }

    @Test
    void acceptsOnlyItsFrameSizeAndBatchesWithinBounds() {
        ShapeProfile p = ShapeProfile.forVideo(DYNAMIC, 360, 640, 4);
        assertTrue(p.accepts(1, 360, 640));
        assertTrue(p.accepts(4, 360, 640));
        assertFalse(p.accepts(0, 360, 640));
        assertFalse(p.accepts(5, 360, 640));
        assertFalse(p.accepts(1, 640, 360));
        assertTrue(p.isFor(360, 640));
        assertFalse(p.isFor(362, 640));
    }

    @Test
    void fixedModelsUseTheirFixedShape() {
        ShapeProfile p = ShapeProfile.forVideo(FIXED, 64, 96, 1);
        long[] shape = {1, 3, 64, 96};
        assertArrayEquals(shape, p.min());
        assertArrayEquals(shape, p.opt());
        assertArrayEquals(shape, p.max());
        assertEquals("x", p.inputName());
    }

    @Test
    void aFixedModelRejectsAnotherFrameSize() {
        EngineError e = assertThrows(EngineError.class, () -> ShapeProfile.forVideo(FIXED, 360, 640, 1));
        assertEquals(ErrorCode.MODEL_SHAPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("96x64") && e.getMessage().contains("640x360"), e.getMessage());
        // one fixed axis is enough to refuse
        ModelSpec fixedHeight = new ModelSpec("i", "o", Precision.FP32, 2, 64, -1, true);
        assertEquals(ErrorCode.MODEL_SHAPE_MISMATCH,
                assertThrows(EngineError.class, () -> ShapeProfile.forVideo(fixedHeight, 65, 100, 1)).code());
        assertEquals(100, ShapeProfile.forVideo(fixedHeight, 64, 100, 1).width());
    }

    @Test
    void aFixedBatchModelRejectsBatchesAboveOne() {
        EngineError e = assertThrows(EngineError.class, () -> ShapeProfile.forVideo(DYNAMIC_HW_BATCH1, 360, 640, 2));
        assertEquals(ErrorCode.MODEL_SHAPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("fixed batch"), e.getMessage());
        assertArrayEquals(new long[] {1, 3, 360, 640}, ShapeProfile.forVideo(DYNAMIC_HW_BATCH1, 360, 640, 1).max());
        assertEquals(ErrorCode.MODEL_SHAPE_MISMATCH,
                assertThrows(EngineError.class, () -> ShapeProfile.forVideo(FIXED, 64, 96, 4)).code());
    }

    @Test
    void badSizesAndBatchesAreInvalidArguments() {
        int[][] bad = {
            {0, 640, 1, 1}, {360, 0, 1, 1}, {-1, 640, 1, 1}, {ShapeProfile.MAX_SIDE + 1, 640, 1, 1},
            {360, 640, 0, 1}, {360, 640, 1, 0}, {360, 640, 3, 2}, {360, 640, 1, ShapeProfile.MAX_BATCH + 1},
        };
        for (int[] b : bad) {
            EngineError e = assertThrows(EngineError.class, () -> ShapeProfile.forVideo(DYNAMIC, b[0], b[1], b[2], b[3]),
                    () -> "accepted h=" + b[0] + " w=" + b[1] + " opt=" + b[2] + " max=" + b[3]);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.oneLine());
        }
        assertEquals(ShapeProfile.MAX_BATCH,
                ShapeProfile.forVideo(DYNAMIC, 16, 16, ShapeProfile.MAX_BATCH).maxBatch());
        assertThrows(NullPointerException.class, () -> ShapeProfile.forVideo(null, 16, 16, 1));
    }

    @Test
    void equalityFollowsTheShapes() {
        ShapeProfile a = ShapeProfile.forVideo(DYNAMIC, 360, 640, 2, 4);
        assertEquals(a, ShapeProfile.forVideo(DYNAMIC, 360, 640, 2, 4));
        assertEquals(a.hashCode(), ShapeProfile.forVideo(DYNAMIC, 360, 640, 2, 4).hashCode());
        assertNotEquals(a, ShapeProfile.forVideo(DYNAMIC, 360, 640, 4, 4));
        assertNotEquals(a, ShapeProfile.forVideo(DYNAMIC, 360, 642, 2, 4));
        assertNotEquals(a, ShapeProfile.forVideo(new ModelSpec("other", "output", Precision.FP16, 2, -1, -1, true),
                360, 640, 2, 4));
        long[] min = a.min();
        min[0] = 99;
        assertEquals(1, a.min()[0], "min() must return a copy");
    }
}
