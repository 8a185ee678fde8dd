package org.videoforge.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.frame.PixelFormat;
import org.videoforge.memory.BucketedBufferPool;

/**
 * A whole video decoded on the CPU (the reference decoder) into host bytes: every frame's pts and
 * its tightly packed NV12 / P010 bytes, in output order. What tests compare outputs with.
 */
public record DecodedVideo(List<Long> pts, List<byte[]> frames, PixelFormat layout, int width, int height) {
    public static DecodedVideo of(Path file) {
        return of(MediaProbe.probe(file, null));
    }

    public static DecodedVideo of(MediaInfo info) {
        List<Long> pts = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        PixelFormat layout = info.video().pixelFormat();
        int bytes = (int) layout.frameBytes(info.video().width(), info.video().height());
        try (BucketedBufferPool pool = BucketedBufferPool.host("decoded-video");
             VideoDecoder decoder = VideoDecoder.open(info, pool)) {
            for (DecodedFrame next = decoder.next(); next != null; next = decoder.next()) {
                try (DecodedFrame f = next) {
                    pts.add(f.pts());
                    byte[] b = new byte[bytes];
                    f.buffer().hostBytes().get(0, b);
                    frames.add(b);
                }
            }
        }
        return new DecodedVideo(pts, frames, layout, info.video().width(), info.video().height());
    }

    public int count() {
        return frames.size();
    }

    /** Frame {@code i}'s luma plane: its first width x height samples (8-bit layouts). */
    public byte[] luma(int i) {
        return Arrays.copyOf(frames.get(i), width * height);
    }
}
