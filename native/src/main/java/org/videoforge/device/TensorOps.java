package org.videoforge.device;

import org.videoforge.frame.Feather;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;

/**
 * Tensor plumbing for micro-batching and tiling, in the memory of one {@link FrameDevice}: copies
 * between tensors (gathering frames into a batch, cutting tiles out of a frame) and the feathered
 * accumulation of inferred tiles. On a GPU each call only queues work on the device's stream;
 * {@link #await()} waits for it, and must be called before another stream (the inference
 * backend's) or the host reads the result. On the CPU every call completes at once.
 */
public interface TensorOps {
    /** Copies {@code bytes} from {@code src + srcOffset} to {@code dst + dstOffset}. */
    void copy(FrameBuffer src, long srcOffset, FrameBuffer dst, long dstOffset, long bytes);

    /**
     * Copies {@code rows} rows of {@code rowBytes} bytes, rows {@code srcPitch} / {@code dstPitch}
     * bytes apart (one plane's rectangle of a tensor).
     */
    void copy2d(FrameBuffer src, long srcOffset, long srcPitch, FrameBuffer dst, long dstOffset, long dstPitch,
                long rowBytes, int rows);

    /** Sets the first {@code bytes} of {@code dst} to zero (0.0 in FP32 and FP16 alike). */
    void zero(FrameBuffer dst, long bytes);

    /**
     * {@code out[c, y0 + y, x0 + x] += feather(x, y) * tile[c, y, x]} for the 3 planes of a
     * {@code tileWidth x tileHeight} tile placed at (x0, y0) in an {@code outWidth x outHeight}
     * tensor, both of precision {@code p}; the sum is formed in FP32 and stored in {@code p}.
     */
    void accumulate(FrameBuffer tile, int tileWidth, int tileHeight, FrameBuffer out, int outWidth, int outHeight,
                    int x0, int y0, Feather feather, Precision p);

    /** Waits until every queued operation has completed. */
    void await();

    /** Bounds checks shared by the implementations. */
    static void checkRange(FrameBuffer b, long offset, long bytes, String role) {
        if (offset < 0 || bytes < 0 || offset + bytes > b.capacity()) {
            throw new IllegalArgumentException(role + ": " + bytes + " bytes at offset " + offset
                    + " do not fit a " + b.capacity() + "-byte buffer");
        }
    }

    static void checkTile(FrameBuffer tile, int tw, int th, FrameBuffer out, int ow, int oh, int x0, int y0,
                          Precision p) {
        if (tw <= 0 || th <= 0 || x0 < 0 || y0 < 0 || x0 + tw > ow || y0 + th > oh) {
            throw new IllegalArgumentException("a " + tw + "x" + th + " tile at " + x0 + "," + y0
                    + " does not fit a " + ow + "x" + oh + " tensor");
        }
        checkRange(tile, 0, p.tensorBytes(1, th, tw), "tile");
        checkRange(out, 0, p.tensorBytes(1, oh, ow), "output tensor");
    }
}
