package org.videoforge.inference.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoforge.frame.Feather;

class TilePlanTest {
    /** Every output pixel's weights over the tiles covering it sum to 1: the blend adds nothing and loses nothing. */
    @ParameterizedTest(name = "{0}x{1} tile {2} overlap {3} x{4}")
    @CsvSource({"1920, 1080, 512, 32, 4", "1920, 1080, 256, 16, 2", "113, 71, 40, 16, 1", "100, 100, 40, 10, 2",
        "641, 359, 64, 8, 4", "65, 65, 64, 8, 3", "64, 64, 64, 8, 2", "30, 200, 64, 31, 1", "1000, 7, 33, 16, 1"})
    void weightsSumToOneEverywhereAndTilesStayInTheFrame(int w, int h, int tile, int overlap, int scale) {
        TilePlan plan = TilePlan.of(w, h, tile, overlap, scale);
        float[] sum = new float[w * scale * h * scale];
        for (TilePlan.Tile t : plan.tiles()) {
            assertTrue(t.x() >= 0 && t.y() >= 0 && t.x() + t.width() <= w && t.y() + t.height() <= h, t.toString());
            assertTrue(t.width() <= tile && t.height() <= tile, t.toString());
            Feather f = t.feather();
            for (int y = 0; y < t.height() * scale; y++) {
                for (int x = 0; x < t.width() * scale; x++) {
                    sum[(t.y() * scale + y) * w * scale + t.x() * scale + x] += f.weightX(x) * f.weightY(y);
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            assertEquals(1f, sum[i], 1e-5f, "pixel " + (i % (w * scale)) + "," + (i / (w * scale)));
        }
    }

    @Test
    void aFrameNoLargerThanATileIsOneTileWithoutRamps() {
        List<TilePlan.Tile> tiles = TilePlan.of(64, 48, 64, 8, 4).tiles();
        assertEquals(List.of(new TilePlan.Tile(0, 0, 64, 48, Feather.NONE)), tiles);
    }

    @Test
    void tileBordersWeighNothingInsideTheFrameAndFullyOnItsBorder() {
        TilePlan plan = TilePlan.of(300, 100, 128, 16, 2);
        assertEquals(3, plan.tiles().size());
        TilePlan.Tile first = plan.tiles().get(0);
        TilePlan.Tile middle = plan.tiles().get(1);
        assertEquals(1f, first.feather().weightX(0), "frame border: the only tile there");
        assertTrue(first.feather().weightX(first.width() * 2 - 1) == 0f, "the tile's inner edge");
        assertTrue(middle.feather().weightX(0) == 0f && middle.feather().weightX(middle.width() * 2 - 1) == 0f);
        assertEquals(1f, middle.feather().weightX(middle.width()), "the middle of a middle tile");
    }

    @Test
    void badGeometryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TilePlan.of(100, 100, 32, 16, 2), "tile <= 2 x overlap");
        assertThrows(IllegalArgumentException.class, () -> TilePlan.of(100, 100, 64, 1, 2), "overlap below 2");
        assertThrows(IllegalArgumentException.class, () -> TilePlan.of(0, 100, 64, 8, 2));
    }
}
