package org.videoforge.inference.tiling;

import java.util.ArrayList;
import java.util.List;
import org.videoforge.frame.Feather;

/**
 * How a frame too large to infer at once is cut into overlapping square-ish tiles, and how the
 * inferred tiles are weighted when they are put back together. Along each axis tiles of
 * {@code tile} pixels are spread evenly so that neighbours overlap by at least {@code overlap}
 * pixels; across the middle of each overlap a linear ramp of up to {@code overlap} pixels fades
 * one tile out and the next in (their weights sum to 1), so the blend has no seam and each tile's
 * own border, where its zero padding makes the model least accurate, weighs nothing. Ramps are in
 * output pixels (input ramps times the model's scale).
 */
public final class TilePlan {
    /** The smallest overlap that leaves room for a ramp after rounding. */
    public static final int MIN_OVERLAP = 2;

    /** One tile: its input rectangle and the blend weights of its output. */
    public record Tile(int x, int y, int width, int height, Feather feather) {
    }

    /** One axis of a tile, in input pixels: its extent and its ramps (tile-local; length 0 = none). */
    record Span(int start, int length, int rise, int riseLength, int fall, int fallLength) {
    }

    private final List<Tile> tiles;
    private final int tileSize;
    private final int overlap;

    private TilePlan(List<Tile> tiles, int tileSize, int overlap) {
        this.tiles = tiles;
        this.tileSize = tileSize;
        this.overlap = overlap;
    }

    /** Tiles of at most {@code tile x tile} input pixels over a {@code width x height} frame of a x{@code scale} model. */
    public static TilePlan of(int width, int height, int tile, int overlap, int scale) {
        if (overlap < MIN_OVERLAP || tile <= 2 * overlap) {
            throw new IllegalArgumentException("tiles need an overlap of at least " + MIN_OVERLAP
                    + " pixels and a size above twice the overlap: tile " + tile + ", overlap " + overlap);
        }
        if (width <= 0 || height <= 0 || scale <= 0) {
            throw new IllegalArgumentException("bad frame " + width + "x" + height + " x" + scale);
        }
        List<Span> xs = spans(width, tile, overlap);
        List<Span> ys = spans(height, tile, overlap);
        List<Tile> tiles = new ArrayList<>();
        for (Span y : ys) {
            for (Span x : xs) {
                Feather f = new Feather(x.rise() * scale, x.riseLength() * scale, x.fall() * scale,
                        x.fallLength() * scale, y.rise() * scale, y.riseLength() * scale, y.fall() * scale,
                        y.fallLength() * scale);
                tiles.add(new Tile(x.start(), y.start(), x.length(), y.length(), f));
            }
        }
        return new TilePlan(List.copyOf(tiles), tile, overlap);
    }

    /** The spans of one axis of {@code n} pixels. */
    static List<Span> spans(int n, int t, int o) {
        if (n <= t) {
            return List.of(new Span(0, n, 0, 0, 0, 0));
        }
        int count = (n - o + t - o - 1) / (t - o); // ceil((n - o) / (t - o))
        int[] s = new int[count];
        for (int i = 0; i < count; i++) {
            s[i] = (int) Math.round((double) i * (n - t) / (count - 1));
        }
        int minOverlap = Integer.MAX_VALUE;
        int minStride = Integer.MAX_VALUE;
        for (int i = 0; i + 1 < count; i++) {
            minOverlap = Math.min(minOverlap, s[i] + t - s[i + 1]);
            minStride = Math.min(minStride, s[i + 1] - s[i]);
        }
        // A middle tile holds two ramps: they must not cross, hence the stride bound when count >= 3.
        int ramp = Math.min(o, minOverlap);
        if (count >= 3) {
            ramp = Math.min(ramp, minStride - 1);
        }
        ramp = Math.max(1, ramp);
        int[] rampStart = new int[count - 1]; // centred in the overlap of tiles i and i + 1
        for (int i = 0; i + 1 < count; i++) {
            rampStart[i] = (s[i + 1] + s[i] + t - ramp) / 2;
        }
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean first = i == 0;
            boolean last = i == count - 1;
            spans.add(new Span(s[i], t,
                    first ? 0 : rampStart[i - 1] - s[i], first ? 0 : ramp,
                    last ? 0 : rampStart[i] - s[i], last ? 0 : ramp));
        }
        return spans;
    }

    public List<Tile> tiles() {
        return tiles;
    }

    public int tileSize() {
        return tileSize;
    }

    public int overlap() {
        return overlap;
    }

    @Override
    public String toString() {
        return tiles.size() + " tiles of " + tileSize + " px, overlap " + overlap;
    }
}
