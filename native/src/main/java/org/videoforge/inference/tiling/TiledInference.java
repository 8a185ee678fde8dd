package org.videoforge.inference.tiling;

import org.videoforge.device.FrameDevice;
import org.videoforge.device.TensorOps;
import org.videoforge.frame.Precision;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.memory.FrameBuffer;

/**
 * Runs a model over a frame tile by tile ({@link TilePlan}): each tile's input is cut out of the
 * frame's tensor, inferred on its own, and accumulated into the output with its feather weights.
 * Tile buffers come from the device's pool (all tiles of a plan have one size, so they are pool
 * hits after the first frame); nothing leaves the device.
 */
public final class TiledInference {
    private TiledInference() {
    }

    /** Input [1,3,h,w] at {@code input} to output [1,3,h*s,w*s] in {@code output}. */
    public static void run(InferenceBackend backend, FrameDevice device, TilePlan plan, FrameBuffer input,
                           FrameBuffer output, int height, int width) {
        TensorOps ops = device.tensorOps();
        Precision p = backend.model().precision();
        int s = backend.model().scale();
        int e = p.bytes();
        ops.zero(output, p.tensorBytes(1, height * s, width * s));
        for (TilePlan.Tile t : plan.tiles()) {
            try (FrameBuffer tileIn = device.acquire(p.tensorBytes(1, t.height(), t.width()));
                 FrameBuffer tileOut = device.acquire(p.tensorBytes(1, t.height() * s, t.width() * s))) {
                for (int c = 0; c < 3; c++) {
                    long src = (((long) c * height + t.y()) * width + t.x()) * e;
                    long dst = (long) c * t.height() * t.width() * e;
                    ops.copy2d(input, src, (long) width * e, tileIn, dst, (long) t.width() * e,
                            (long) t.width() * e, t.height());
                }
                ops.await(); // the backend computes on its own stream
                backend.run(tileIn, tileOut, 1, t.height(), t.width());
                ops.accumulate(tileOut, t.width() * s, t.height() * s, output, width * s, height * s,
                        t.x() * s, t.y() * s, t.feather(), p);
                ops.await(); // before tileOut goes back to the pool
            }
        }
    }
}
