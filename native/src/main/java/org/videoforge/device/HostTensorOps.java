package org.videoforge.device;

import org.videoforge.frame.Feather;
import java.nio.ByteBuffer;
import org.videoforge.frame.Float16;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;

/** {@link TensorOps} on host tensors, in Java; every call has completed when it returns. */
final class HostTensorOps implements TensorOps {
    @Override
    public void copy(FrameBuffer src, long srcOffset, FrameBuffer dst, long dstOffset, long bytes) {
        TensorOps.checkRange(src, srcOffset, bytes, "copy source");
        TensorOps.checkRange(dst, dstOffset, bytes, "copy destination");
        dst.hostBytes().put((int) dstOffset, src.hostBytes(), (int) srcOffset, (int) bytes);
    }

    @Override
    public void copy2d(FrameBuffer src, long srcOffset, long srcPitch, FrameBuffer dst, long dstOffset, long dstPitch,
                       long rowBytes, int rows) {
        TensorOps.checkRange(src, srcOffset, (rows - 1) * srcPitch + rowBytes, "copy source");
        TensorOps.checkRange(dst, dstOffset, (rows - 1) * dstPitch + rowBytes, "copy destination");
        ByteBuffer s = src.hostBytes();
        ByteBuffer d = dst.hostBytes();
        for (int r = 0; r < rows; r++) {
            d.put((int) (dstOffset + r * dstPitch), s, (int) (srcOffset + r * srcPitch), (int) rowBytes);
        }
    }

    @Override
    public void zero(FrameBuffer dst, long bytes) {
        TensorOps.checkRange(dst, 0, bytes, "zeroed buffer");
        ByteBuffer d = dst.hostBytes();
        byte[] zeros = new byte[(int) Math.min(bytes, 1 << 16)];
        for (long at = 0; at < bytes; at += zeros.length) {
            d.put((int) at, zeros, 0, (int) Math.min(zeros.length, bytes - at));
        }
    }

    @Override
    public void accumulate(FrameBuffer tile, int tw, int th, FrameBuffer out, int ow, int oh, int x0, int y0,
                           Feather feather, Precision p) {
        TensorOps.checkTile(tile, tw, th, out, ow, oh, x0, y0, p);
        ByteBuffer t = tile.hostBytes();
        ByteBuffer o = out.hostBytes();
        float[] wx = new float[tw];
        for (int x = 0; x < tw; x++) {
            wx[x] = feather.weightX(x);
        }
        int e = p.bytes();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < th; y++) {
                float wy = feather.weightY(y);
                long tileRow = ((long) c * th + y) * tw;
                long outRow = ((long) c * oh + y0 + y) * ow + x0;
                for (int x = 0; x < tw; x++) {
                    int ti = (int) ((tileRow + x) * e);
                    int oi = (int) ((outRow + x) * e);
                    if (p == Precision.FP32) {
                        o.putFloat(oi, o.getFloat(oi) + wx[x] * wy * t.getFloat(ti));
                    } else {
                        float sum = Float16.toFloat(o.getShort(oi)) + wx[x] * wy * Float16.toFloat(t.getShort(ti));
                        o.putShort(oi, Float16.fromFloat(sum));
                    }
                }
            }
        }
    }

    @Override
    public void await() {
        // nothing is queued on the CPU
    }
}
