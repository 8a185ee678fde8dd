package org.videoforge.inference.tiling;

import org.videoforge.frame.Precision;
import org.videoforge.memory.MemoryBudget;

/**
 * Whether a frame must be tiled to stay within the {@code --vram-limit} budget, and with which
 * tile size. The model's working memory (ONNX Runtime's activations, which it allocates itself)
 * is estimated, not measured: {@value #WORKING_VALUES_PER_PIXEL} values of the model's precision
 * per input pixel, i.e. two live 64-channel feature maps, SRVGGNetCompact's and RRDBNet's width.
 * The whole-frame input and output tensors are pool buffers and are already held when this is
 * asked. Without a limit, frames are never tiled automatically.
 */
public final class TileSizing {
    static final int WORKING_VALUES_PER_PIXEL = 128;
    /** Tile sides tried, from large to small, in steps that keep them multiples of 16. */
    static final int LARGEST_TILE = 1024;
    static final int SMALLEST_TILE = 64;

    private TileSizing() {
    }

    /** Estimated working memory of one inference over {@code height x width} input pixels. */
    public static long workingBytes(int height, int width, Precision p) {
        return (long) WORKING_VALUES_PER_PIXEL * height * width * p.bytes();
    }

    /**
     * The tile side for a {@code width x height} frame of a x{@code scale} model, or 0 when the whole
     * frame fits the budget's headroom (or nothing smaller would: then the pool's own VRAM_EXHAUSTED
     * is the honest answer).
     */
    public static int autoTile(int width, int height, int scale, Precision p, MemoryBudget budget, int overlap) {
        if (!budget.isLimited()) {
            return 0;
        }
        long headroom = budget.limitBytes() - budget.heldBytes();
        if (workingBytes(height, width, p) <= headroom) {
            return 0;
        }
        for (int t = LARGEST_TILE; t >= Math.max(SMALLEST_TILE, 2 * overlap + 16); t -= 16) {
            if (t >= Math.max(width, height)) {
                continue;
            }
            long need = p.tensorBytes(1, t, t) + p.tensorBytes(1, t * scale, t * scale) + workingBytes(t, t, p);
            if (need <= headroom) {
                return t;
            }
        }
        return 0;
    }
}
