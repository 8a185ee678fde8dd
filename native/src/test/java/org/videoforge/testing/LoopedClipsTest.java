package org.videoforge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.frame.Rational;
import org.videoforge.memory.BucketedBufferPool;

/** A looped clip is its source N times over: N times the frames, evenly spaced pts, each pass's pixels the source's. */
class LoopedClipsTest {
    private static final int FRAMES = 24;

    @TempDir
    Path dir;

    @Test
    void threePassesDecodeAsTheSourceThreeTimesWithEvenlySpacedPts() {
        Path clip = SyntheticClips.h264(dir.resolve("clip.mp4"), 160, 96, FRAMES, new Rational(30, 1), 12);
        Path looped = dir.resolve("looped.mp4");

        assertEquals(3L * FRAMES, LoopedClips.loop(clip, looped, 3));

        MediaInfo info = MediaProbe.probe(looped, null);
        assertEquals(3L * FRAMES, info.video().frameCount());
        List<Long> pts = new ArrayList<>();
        List<ByteBuffer> pixels = new ArrayList<>();
        try (BucketedBufferPool pool = BucketedBufferPool.host("looped-clips-test");
             VideoDecoder decoder = VideoDecoder.open(info, pool)) {
            for (DecodedFrame next = decoder.next(); next != null; next = decoder.next()) {
                try (DecodedFrame f = next) {
                    pts.add(f.pts());
                    ByteBuffer src = f.buffer().hostBytes();
                    pixels.add(ByteBuffer.allocate(src.remaining()).put(src).flip());
                }
            }
        }
        assertEquals(3 * FRAMES, pts.size());
        long step = pts.get(1) - pts.get(0);
        for (int i = 1; i < pts.size(); i++) {
            assertEquals(pts.get(0) + i * step, pts.get(i), "pts of frame " + i + ": " + pts);
        }
        for (int i = FRAMES; i < pixels.size(); i++) {
            assertEquals(pixels.get(i % FRAMES), pixels.get(i), "frame " + i + " is not frame " + i % FRAMES);
        }
    }

    @Test
    void zeroPassesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LoopedClips.loop(dir.resolve("a.mp4"), dir.resolve("b.mp4"), 0));
    }
}
