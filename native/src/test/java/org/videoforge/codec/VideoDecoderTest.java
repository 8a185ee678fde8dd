package org.videoforge.codec;

import org.videoforge.testing.FfmpegCli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.VideoCodec;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;

class VideoDecoderTest {
    @TempDir
    static Path dir;

    private final BucketedBufferPool pool = BucketedBufferPool.host("decoder-test");

    @BeforeAll
    static void tools() {
        FfmpegCli.assumeInstalled();
    }

    @AfterEach
    void everyLeaseCameBack() {
        assertEquals(0, pool.stats().leasesOut());
        pool.close();
    }

    @Test
    void decodesEveryFrameWithFfprobesTimestamps() {
        // libx264's defaults use B-frames: decode order differs from presentation order.
        Path in = TestVideos.h264(dir, "cfr.mp4", 2);
        List<Long> pts = decodePts(in);
        assertEquals(48, pts.size());
        assertEquals(FfmpegCli.framePts(in), pts);
    }

    @Test
    void variableFrameRateTimestampsSurvive() {
        Path in = TestVideos.vfr(dir, "vfr.mp4");
        List<Long> pts = decodePts(in);
        List<Long> expected = FfmpegCli.framePts(in);
        assertEquals(expected, pts);
        assertEquals(36, pts.size());
        assertTrue(pts.get(30) - pts.get(29) == 2 * (pts.get(10) - pts.get(9)), "the second half runs at half rate");
    }

    @Test
    void variableRateAviIsNotMistakenForATruncatedFile() {
        // AVI declares a frame slot per 1/48 s here (90), but holds 36 frames: the rest are empty "drops".
        Path avi = dir.resolve("vfr.avi");
        FfmpegCli.ffmpeg("-i", TestVideos.vfr(dir, "for-avi.mp4").toString(), "-c", "copy", avi.toString());
        MediaInfo info = MediaProbe.probe(avi, null);
        assertTrue(info.video().frameCount() > 36, "declared " + info.video().frameCount());
        assertEquals(FfmpegCli.countFrames(avi), decodePts(info).size());
    }

    @Test
    void nv12PixelsEqualFfmpegsOwnConversion() {
        Path in = TestVideos.h264(dir, "pixels.mp4", 0.5);
        byte[] expected = FfmpegCli.rawFrames(in, "nv12");
        byte[] planarY = FfmpegCli.rawFrames(in, "yuv420p");
        int frameBytes = (int) PixelFormat.NV12.frameBytes(160, 90);
        assertEquals(12L * frameBytes, expected.length);
        MediaInfo info = MediaProbe.probe(in, null);
        try (VideoDecoder decoder = VideoDecoder.open(info, pool)) {
            for (int i = 0; i < 12; i++) {
                try (DecodedFrame f = decoder.next()) {
                    assertEquals(i, f.index());
                    byte[] got = bytes(f.buffer(), frameBytes);
                    assertArrayEquals(slice(expected, i * frameBytes, frameBytes), got, "frame " + i);
                    if (i == 0) {
                        // The luma plane of the first frame, against ffmpeg's planar dump: no conversion involved.
                        assertArrayEquals(slice(planarY, 0, 160 * 90), slice(got, 0, 160 * 90));
                    }
                }
            }
            assertNull(decoder.next());
            assertEquals(12, decoder.framesDecoded());
        }
    }

    @Test
    void fullRangeSamplesAreNotSquashedToLimited() {
        Path in = TestVideos.h264(dir, "full.mp4", 0.2, "-color_range", "pc");
        // ffmpeg -pix_fmt yuvj420p copies the decoded planes untouched: the reference samples.
        byte[] planar = FfmpegCli.rawFrames(in, "yuvj420p");
        try (VideoDecoder decoder = VideoDecoder.open(MediaProbe.probe(in, null), pool);
             DecodedFrame f = decoder.next()) {
            byte[] got = bytes(f.buffer(), (int) PixelFormat.NV12.frameBytes(160, 90));
            assertArrayEquals(slice(planar, 0, 160 * 90), slice(got, 0, 160 * 90));
            int uBase = 160 * 90;
            int vBase = uBase + 80 * 45;
            for (int i = 0; i < 80 * 45; i++) {
                assertEquals(planar[uBase + i], got[uBase + 2 * i], "U " + i);
                assertEquals(planar[vBase + i], got[uBase + 2 * i + 1], "V " + i);
            }
        }
    }

    @Test
    void tenBitHevcDecodesToP010() {
        Path in = TestVideos.hevc10(dir, "ten.mp4", 0.25);
        byte[] planar = FfmpegCli.rawFrames(in, "yuv420p10le");
        int lumaSamples = 160 * 90;
        int chromaSamples = 80 * 45;
        MediaInfo info = MediaProbe.probe(in, null);
        try (VideoDecoder decoder = VideoDecoder.open(info, pool)) {
            int frame = 0;
            for (DecodedFrame next = decoder.next(); next != null; next = decoder.next(), frame++) {
                try (DecodedFrame f = next) {
                    assertEquals(PixelFormat.P010, f.pixelFormat());
                    ByteBuffer p010 = f.buffer().hostBytes();
                    ByteBuffer ref = ByteBuffer.wrap(planar).order(ByteOrder.LITTLE_ENDIAN);
                    int base = frame * 2 * (lumaSamples + 2 * chromaSamples);
                    boolean sawAbove8Bit = false;
                    for (int i = 0; i < lumaSamples; i++) {
                        int word = Short.toUnsignedInt(p010.getShort(2 * i));
                        assertEquals(0, word & 0x3f, "P010 keeps samples in the high 10 bits");
                        assertEquals(Short.toUnsignedInt(ref.getShort(base + 2 * i)), word >> 6, "Y " + i);
                        sawAbove8Bit |= (word >> 6) > 255;
                    }
                    assertTrue(sawAbove8Bit, "10-bit values, not 8-bit ones widened");
                    int uRef = base + 2 * lumaSamples;
                    int vRef = uRef + 2 * chromaSamples;
                    for (int i = 0; i < chromaSamples; i++) {
                        int at = 2 * lumaSamples + 4 * i;
                        assertEquals(Short.toUnsignedInt(ref.getShort(uRef + 2 * i)) << 6,
                                Short.toUnsignedInt(p010.getShort(at)), "U " + i);
                        assertEquals(Short.toUnsignedInt(ref.getShort(vRef + 2 * i)) << 6,
                                Short.toUnsignedInt(p010.getShort(at + 2)), "V " + i);
                    }
                }
            }
            assertEquals(6, frame);
        }
    }

    @Test
    void rawAnnexBDecodesWithAHint() {
        Path raw = TestVideos.h264(dir, "clip.264", 1);
        MediaInfo info = MediaProbe.probe(raw, new RawInputHint(VideoCodec.H264, 160, 90));
        List<Long> pts = decodePts(info);
        assertEquals(FfmpegCli.countFrames(raw), pts.size());
        assertEquals(24, pts.size());
        for (int i = 1; i < pts.size(); i++) {
            assertTrue(pts.get(i) > pts.get(i - 1), "timestamps increase: " + pts);
        }
    }

    @Test
    void detachedFramesOutliveTheirFrameAndTheDecoder() {
        Path in = TestVideos.h264(dir, "detach.mp4", 0.2);
        FrameBuffer kept;
        try (VideoDecoder decoder = VideoDecoder.open(MediaProbe.probe(in, null), pool)) {
            DecodedFrame f = decoder.next();
            kept = f.detach();
            f.close();
            assertFalse(kept.isReleased());
            assertThrows(IllegalStateException.class, f::buffer);
        }
        assertEquals(1, pool.stats().leasesOut());
        kept.close();
    }

    @Test
    void endOfStreamIsStickyAndCloseIsIdempotent() {
        Path in = TestVideos.h264(dir, "short.mp4", 0.1);
        VideoDecoder decoder = VideoDecoder.open(MediaProbe.probe(in, null), pool);
        while (true) {
            try (DecodedFrame f = decoder.next()) {
                if (f == null) {
                    break;
                }
            }
        }
        assertNull(decoder.next());
        assertEquals(3, decoder.framesDecoded());
        decoder.close();
        decoder.close();
        assertThrows(IllegalStateException.class, decoder::next);
    }

    private List<Long> decodePts(Path in) {
        return decodePts(MediaProbe.probe(in, null));
    }

    private List<Long> decodePts(MediaInfo info) {
        List<Long> pts = new ArrayList<>();
        try (VideoDecoder decoder = VideoDecoder.open(info, pool)) {
            for (DecodedFrame next = decoder.next(); next != null; next = decoder.next()) {
                try (DecodedFrame f = next) {
                    pts.add(f.pts());
                }
            }
            assertEquals(pts.size(), decoder.framesDecoded());
        }
        return pts;
    }

    static byte[] bytes(FrameBuffer buffer, int length) {
        byte[] out = new byte[length];
        buffer.hostBytes().get(0, out);
        return out;
    }

    static byte[] slice(byte[] b, int from, int length) {
        byte[] out = new byte[length];
        System.arraycopy(b, from, out, 0, length);
        return out;
    }
}
