package org.videoforge.codec.nvdec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.MediaInfo;
import org.videoforge.frame.PixelFormat;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.MemoryKind;
import org.videoforge.testing.DecodedVideo;

/** Whole-file decodes, on the CPU (the reference) and on NVDEC, as host bytes per frame. */
final class Decodes {
    private Decodes() {
    }

    /** Every frame's pts and tightly packed NV12 / P010 bytes, in output order. */
    record Decoded(List<Long> pts, List<byte[]> frames, PixelFormat layout, int width, int height) {
        List<Long> checksums() {
            List<Long> out = new ArrayList<>();
            for (byte[] f : frames) {
                CRC32 crc = new CRC32();
                crc.update(f);
                out.add(crc.getValue());
            }
            return out;
        }
    }

    static Decoded cpu(MediaInfo info) {
        DecodedVideo v = DecodedVideo.of(info);
        return new Decoded(v.pts(), v.frames(), v.layout(), v.width(), v.height());
    }

    static Decoded gpu(MediaInfo info, TestCudaDevice device, CUstream_st stream) {
        List<Long> pts = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        PixelFormat layout = info.video().pixelFormat();
        long bytes = layout.frameBytes(info.video().width(), info.video().height());
        try (NvDecoder decoder = NvDecoder.open(info, device.pool, device.context, stream)) {
            for (DecodedFrame next = decoder.next(); next != null; next = decoder.next()) {
                try (DecodedFrame f = next) {
                    assertEquals(pts.size(), f.index(), "frames are numbered in output order");
                    assertEquals(info.video().width(), f.width());
                    assertEquals(info.video().height(), f.height());
                    assertEquals(layout, f.pixelFormat());
                    assertNotNull(f.buffer());
                    assertEquals(MemoryKind.DEVICE, f.buffer().kind());
                    pts.add(f.pts());
                    frames.add(device.download(f.buffer(), bytes));
                }
            }
            assertEquals(pts.size(), decoder.framesDecoded());
        }
        return new Decoded(pts, frames, layout, info.video().width(), info.video().height());
    }

    /** Largest per-sample difference (in sample units: 8-bit for NV12, 10-bit for P010), over all frames. */
    static int maxSampleDiff(Decoded a, Decoded b) {
        int max = 0;
        int n = Math.min(a.frames().size(), b.frames().size());
        for (int i = 0; i < n; i++) {
            byte[] x = a.frames().get(i);
            byte[] y = b.frames().get(i);
            if (a.layout() == PixelFormat.NV12) {
                for (int k = 0; k < x.length; k++) {
                    max = Math.max(max, Math.abs((x[k] & 0xff) - (y[k] & 0xff)));
                }
            } else {
                for (int k = 0; k + 1 < x.length; k += 2) {
                    int wx = (x[k] & 0xff) | (x[k + 1] & 0xff) << 8;
                    int wy = (y[k] & 0xff) | (y[k + 1] & 0xff) << 8;
                    max = Math.max(max, Math.abs((wx >> 6) - (wy >> 6)));
                }
            }
        }
        return max;
    }

    /** Frames whose bytes differ. */
    static int framesDiffering(Decoded a, Decoded b) {
        int n = 0;
        for (int i = 0; i < Math.min(a.frames().size(), b.frames().size()); i++) {
            if (!java.util.Arrays.equals(a.frames().get(i), b.frames().get(i))) {
                n++;
            }
        }
        return n;
    }
}
