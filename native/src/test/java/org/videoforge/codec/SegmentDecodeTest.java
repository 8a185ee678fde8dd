package org.videoforge.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.testing.DecodedVideo;
import org.videoforge.testing.GopClips;
import org.videoforge.testing.KeyframeSegments;

/**
 * Segments decoded on their own (seek to the keyframe, decode the range) hold exactly the frames of
 * the whole decode in that range, pts and pixels, for closed and open GOPs: the leading pictures of
 * an open GOP belong to the segment before and come out there, whole, and never here. Each segment
 * from a fresh decoder, and all through one decoder that seeks from segment to segment, as the
 * decode stage reuses it.
 */
class SegmentDecodeTest {
    @TempDir
    static Path dir;

    static Stream<GopClips.Kind> kinds() {
        return GopClips.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everySegmentEqualsItsRangeOfTheWholeDecode(GopClips.Kind kind) {
        Path clip = kind.write(dir, 96, 64, 60);
        MediaInfo info = MediaProbe.probe(clip, null);
        DecodedVideo whole = DecodedVideo.of(info);
        assertEquals(60, whole.count());
        List<KeyframeSegments.Range> ranges = KeyframeSegments.of(KeyframeIndex.read(info)).ranges();
        assertTrue(ranges.size() >= 4, kind + ": keyframes every " + GopClips.KEYFRAME_INTERVAL + " frames: " + ranges);
        int total = 0;
        try (BucketedBufferPool pool = BucketedBufferPool.host("segments")) {
            for (KeyframeSegments.Range r : ranges) {
                try (VideoDecoder fresh = VideoDecoder.open(info, pool)) {
                    total += check(kind, fresh, r, whole);
                }
            }
            // One decoder for all but the first segment, in order, then backwards to a middle one.
            try (VideoDecoder reused = VideoDecoder.open(info, pool)) {
                for (KeyframeSegments.Range r : ranges.subList(1, ranges.size())) {
                    check(kind, reused, r, whole);
                }
                check(kind, reused, ranges.get(ranges.size() / 2), whole);
                check(kind, reused, ranges.get(1), whole);
            }
        }
        assertEquals(whole.count(), total, kind + ": the segments together hold every frame once");
    }

    private static int check(GopClips.Kind kind, VideoDecoder decoder, KeyframeSegments.Range r, DecodedVideo whole) {
        List<Long> pts = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        try (RangeDecoder d = RangeDecoder.borrowing(decoder, r.startPts(), r.endPts(), r.frames(), kind + " " + r)) {
            for (DecodedFrame next = next(d, r); next != null; next = next(d, r)) {
                try (DecodedFrame f = next) {
                    pts.add(f.pts());
                    byte[] b = new byte[whole.frames().get(0).length];
                    f.buffer().hostBytes().get(0, b);
                    frames.add(b);
                }
            }
        }
        assertEquals(whole.pts().subList(r.firstFrame(), r.firstFrame() + r.frames()), pts, kind + " " + r);
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(whole.frames().get(r.firstFrame() + i), frames.get(i),
                    kind + " " + r + ": frame " + i + " differs from the whole decode's");
        }
        return frames.size();
    }

    private static DecodedFrame next(RangeDecoder d, KeyframeSegments.Range r) {
        try {
            return d.next();
        } catch (RuntimeException e) {
            throw new AssertionError("decoding " + r + " failed", e);
        }
    }
}
