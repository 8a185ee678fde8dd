package org.videoforge.codec;

import java.nio.ByteBuffer;
import org.videoforge.frame.PixelFormat;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;

/** A stand-in for the model in writer and corpus tests: NV12 / P010 scaled up by pixel duplication. */
public final class NearestUpscale {
    private NearestUpscale() {
    }

    public static FrameBuffer of(DecodedFrame f, int factor, BucketedBufferPool pool) {
        PixelFormat fmt = f.pixelFormat();
        int bps = fmt.bytesPerSample();
        int w = f.width();
        int h = f.height();
        int bw = w * factor;
        int bh = h * factor;
        ByteBuffer src = f.buffer().hostBytes();
        FrameBuffer out = pool.acquire(fmt.frameBytes(bw, bh));
        ByteBuffer dst = out.hostBytes();
        int srcPitch = fmt.pitch(w);
        int dstPitch = fmt.pitch(bw);
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                copy(src, (y / factor) * srcPitch + (x / factor) * bps, dst, y * dstPitch + x * bps, bps);
            }
        }
        int srcUv = srcPitch * h;
        int dstUv = dstPitch * bh;
        for (int y = 0; y < PixelFormat.chromaHeight(bh); y++) {
            for (int x = 0; x < PixelFormat.evenUp(bw) / 2; x++) {
                int from = srcUv + (y / factor) * srcPitch + (x / factor) * 2 * bps;
                int to = dstUv + y * dstPitch + x * 2 * bps;
                copy(src, from, dst, to, 2 * bps);
            }
        }
        return out;
    }

    private static void copy(ByteBuffer src, int from, ByteBuffer dst, int to, int n) {
        for (int i = 0; i < n; i++) {
            dst.put(to + i, src.get(from + i));
        }
    }
}
