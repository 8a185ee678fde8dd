package org.videoforge.inference.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.videoforge.frame.Precision;
import org.videoforge.memory.MemoryBudget;

class TileSizingTest {
    private static final int MIB = 1 << 20;

    @Test
    void noLimitNeverTiles() {
        assertEquals(0, TileSizing.autoTile(7680, 4320, 4, Precision.FP16, MemoryBudget.unlimited("x"), 16));
    }

    @Test
    void aFrameWhoseWorkingMemoryFitsIsNotTiled() {
        MemoryBudget budget = new MemoryBudget("cuda:0", 2048L * MIB);
        // 1080p FP16: 128 values x 2 bytes x 2 Mpx = 531 MB of working memory
        assertEquals(0, TileSizing.autoTile(1920, 1080, 4, Precision.FP16, budget, 16));
    }

    @Test
    void aTightBudgetGivesTheLargestTileThatFits() {
        MemoryBudget budget = new MemoryBudget("cuda:0", 256L * MIB);
        budget.reserve(100L * MIB, "frames and tensors already held");
        int t = TileSizing.autoTile(1920, 1080, 4, Precision.FP16, budget, 16);
        assertTrue(t > 0 && t % 16 == 0 && t < 1080, "tile " + t);
        long need = Precision.FP16.tensorBytes(1, t, t) + Precision.FP16.tensorBytes(1, 4 * t, 4 * t)
                + TileSizing.workingBytes(t, t, Precision.FP16);
        long needNext = Precision.FP16.tensorBytes(1, t + 16, t + 16)
                + Precision.FP16.tensorBytes(1, 4 * (t + 16), 4 * (t + 16)) + TileSizing.workingBytes(t + 16, t + 16,
                Precision.FP16);
        assertTrue(need <= 156L * MIB && needNext > 156L * MIB, "the largest tile within the 156 MiB headroom: " + t);
    }

    @Test
    void whenNotEvenTheSmallestTileFitsTheFrameIsLeftWhole() {
        MemoryBudget budget = new MemoryBudget("cuda:0", 2L * MIB); // a 64-px x4 FP32 tile needs 2.8 MiB
        assertEquals(0, TileSizing.autoTile(1920, 1080, 4, Precision.FP32, budget, 16),
                "the pool's VRAM_EXHAUSTED reports it");
    }
}
