package org.videoforge.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.memory.BucketedBufferPool;

/**
 * Clips written by {@link SyntheticClips} through the engine's own encoder are what was asked for,
 * read back by the engine's probe and decoder, and (where Debian's tools are installed) by ffprobe
 * and ffmpeg: frame count, size, pixel format, colour tags, and pixels close to the pattern.
 */
class SyntheticClipsTest {
    private static final int W = 320;
    private static final int H = 180; // HEVC's NVDEC minimum is 144x144
    private static final int H264_FRAMES = 30;
    private static final int HEVC_FRAMES = 12;
    private static final Rational NTSC = new Rational(30000, 1001);
    private static final Rational FILM = new Rational(24, 1);

    @TempDir
    static Path dir;
    private static Path h264;
    private static Path hevc10;

    @BeforeAll
    static void clips() {
        h264 = SyntheticClips.h264(dir.resolve("synthetic.mp4"), W, H, H264_FRAMES, NTSC);
        hevc10 = SyntheticClips.hevc10(dir.resolve("synthetic10.mkv"), W, H, HEVC_FRAMES, FILM);
    }

    @Test
    void h264ProbesAsAskedFor() {
        VideoStreamInfo v = MediaProbe.probe(h264, null).video();
        assertEquals(VideoCodec.H264, v.codec());
        assertEquals(W, v.width());
        assertEquals(H, v.height());
        assertEquals(PixelFormat.NV12, v.pixelFormat());
        assertEquals(SyntheticClips.H264_COLOR, v.color());
        assertEquals(H264_FRAMES, v.frameCount()); // MP4's sample table
        assertEquals(NTSC, v.frameRate());
    }

    @Test
    void hevc10ProbesAsAskedFor() {
        VideoStreamInfo v = MediaProbe.probe(hevc10, null).video();
        assertEquals(VideoCodec.HEVC, v.codec());
        assertEquals(W, v.width());
        assertEquals(H, v.height());
        assertEquals(PixelFormat.P010, v.pixelFormat());
        assertEquals(SyntheticClips.HEVC10_COLOR, v.color());
        assertEquals(FILM, v.frameRate());
    }

    @Test
    void h264DecodesToThePattern() {
        List<DecodedPixels> frames = decode(h264);
        assertEquals(H264_FRAMES, frames.size());
        assertIncreasingPts(frames);
        for (int i = 0; i < frames.size(); i++) {
            assertCloseToPattern(frames.get(i).codes, PixelFormat.NV12, i, 3.0);
        }
    }

    @Test
    void hevc10DecodesToThePattern() {
        List<DecodedPixels> frames = decode(hevc10);
        assertEquals(HEVC_FRAMES, frames.size());
        assertIncreasingPts(frames);
        for (int i = 0; i < frames.size(); i++) {
            assertCloseToPattern(frames.get(i).codes, PixelFormat.P010, i, 12.0); // 10-bit codes: 4x the 8-bit scale
        }
    }

    @Test
    void ffprobeAgrees() {
        FfmpegCli.assumeInstalled();
        JsonNode v = FfmpegCli.stream(FfmpegCli.probe(h264), "video");
        assertEquals("h264", v.path("codec_name").asText());
        assertEquals(W, v.path("width").asInt());
        assertEquals(H, v.path("height").asInt());
        assertEquals("yuv420p", v.path("pix_fmt").asText());
        assertEquals("bt709", v.path("color_space").asText());
        assertEquals("bt709", v.path("color_primaries").asText());
        assertEquals("bt709", v.path("color_transfer").asText());
        assertEquals("tv", v.path("color_range").asText());
        assertEquals("30000/1001", v.path("avg_frame_rate").asText());
        assertTrue(v.path("has_b_frames").asInt() > 0, "B-frames: " + v);
        assertEquals(H264_FRAMES, FfmpegCli.countFrames(h264));

        JsonNode h = FfmpegCli.stream(FfmpegCli.probe(hevc10), "video");
        assertEquals("hevc", h.path("codec_name").asText());
        assertEquals(W, h.path("width").asInt());
        assertEquals(H, h.path("height").asInt());
        assertEquals("yuv420p10le", h.path("pix_fmt").asText());
        assertEquals("bt2020nc", h.path("color_space").asText());
        assertEquals("bt2020", h.path("color_primaries").asText());
        assertEquals("bt2020-10", h.path("color_transfer").asText());
        assertEquals("tv", h.path("color_range").asText());
        assertEquals(HEVC_FRAMES, FfmpegCli.countFrames(hevc10));
        assertEquals(FfmpegCli.framePts(hevc10).size(), HEVC_FRAMES);
    }

    @Test
    void ffmpegDecodesToThePattern() {
        FfmpegCli.assumeInstalled();
        int frameBytes = (int) PixelFormat.NV12.frameBytes(W, H);
        byte[] nv12 = FfmpegCli.rawFrames(h264, "nv12");
        assertEquals((long) frameBytes * H264_FRAMES, nv12.length);
        int p010Bytes = (int) PixelFormat.P010.frameBytes(W, H);
        byte[] p010 = FfmpegCli.rawFrames(hevc10, "p010le");
        assertEquals((long) p010Bytes * HEVC_FRAMES, p010.length);
        for (int i : new int[] {0, H264_FRAMES - 1}) {
            assertCloseToPattern(codes(ByteBuffer.wrap(nv12, i * frameBytes, frameBytes).slice(), PixelFormat.NV12),
                    PixelFormat.NV12, i, 3.0);
        }
        for (int i : new int[] {0, HEVC_FRAMES - 1}) {
            assertCloseToPattern(codes(ByteBuffer.wrap(p010, i * p010Bytes, p010Bytes).slice(), PixelFormat.P010),
                    PixelFormat.P010, i, 12.0);
        }
    }

    @Test
    void patternIsDeterministicMovingAndDetailed() {
        int[] a = pattern(PixelFormat.P010, 5);
        assertArrayEquals(a, pattern(PixelFormat.P010, 5));
        int[] next = pattern(PixelFormat.P010, 6);
        assertFalse(java.util.Arrays.equals(a, next), "frames differ");
        // Detail: many luma levels, and many strong horizontal steps (edges, grid, zone plate, grain).
        long levels = java.util.Arrays.stream(a, 0, W * H).distinct().count();
        assertTrue(levels > 300, "distinct 10-bit luma codes: " + levels);
        int steps = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 1; x < W; x++) {
                if (Math.abs(a[y * W + x] - a[y * W + x - 1]) > 40) {
                    steps++;
                }
            }
        }
        assertTrue(steps > W * H / 20, "horizontal luma steps > 40 codes: " + steps);
        // Limited range, and the 8-bit frame is the 10-bit one rounded.
        int[] eight = pattern(PixelFormat.NV12, 5);
        for (int i = 0; i < a.length; i++) {
            assertTrue(a[i] >= 64 && a[i] <= 960, "code " + a[i] + " at " + i);
            assertEquals((a[i] + 2) >> 2, eight[i], "sample " + i);
        }
    }

    @Test
    void rejectsSizesTheEncoderCannotTakeAndLeavesNoFile() {
        assertThrows(IllegalArgumentException.class,
                () -> SyntheticClips.h264(dir.resolve("odd.mp4"), 321, 180, 2, FILM));
        assertThrows(IllegalArgumentException.class,
                () -> SyntheticClips.h264(dir.resolve("none.mp4"), W, H, 0, FILM));
        assertFalse(Files.exists(dir.resolve("none.mp4")));
    }

    /** Decoded frame {@code index} (as codes: 8-bit for NV12, 10-bit for P010) is near the pattern: mean |diff| per plane. */
    private static void assertCloseToPattern(int[] decoded, PixelFormat fmt, int index, double maxMeanError) {
        int[] expected = pattern(fmt, index);
        assertEquals(expected.length, decoded.length);
        int luma = W * H;
        double lumaError = meanAbsDiff(expected, decoded, 0, luma);
        double chromaError = meanAbsDiff(expected, decoded, luma, expected.length);
        assertTrue(lumaError < maxMeanError, fmt + " frame " + index + " luma mean |error| " + lumaError);
        assertTrue(chromaError < maxMeanError, fmt + " frame " + index + " chroma mean |error| " + chromaError);
    }

    private static double meanAbsDiff(int[] a, int[] b, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return (double) sum / (to - from);
    }

    private static int[] pattern(PixelFormat fmt, int index) {
        ByteBuffer b = ByteBuffer.allocate((int) fmt.frameBytes(W, H)).order(ByteOrder.LITTLE_ENDIAN);
        SyntheticClips.fillFrame(b, fmt, W, H, index);
        return codes(b, fmt);
    }

    /** Every sample of a tight NV12 / P010 frame as its code (P010: the 16-bit word >> 6). */
    private static int[] codes(ByteBuffer frame, PixelFormat fmt) {
        ByteBuffer b = frame.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int samples = (int) (fmt.frameBytes(W, H) / fmt.bytesPerSample());
        int[] out = new int[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = fmt == PixelFormat.P010 ? (b.getShort(2 * i) & 0xffff) >> 6 : b.get(i) & 0xff;
        }
        return out;
    }

    private record DecodedPixels(long pts, int[] codes) {
    }

    private static List<DecodedPixels> decode(Path file) {
        MediaInfo info = MediaProbe.probe(file, null);
        PixelFormat fmt = info.video().pixelFormat();
        List<DecodedPixels> frames = new ArrayList<>();
        try (BucketedBufferPool pool = BucketedBufferPool.host("synthetic-clips-test");
             VideoDecoder decoder = VideoDecoder.open(info, pool)) {
            for (DecodedFrame next = decoder.next(); next != null; next = decoder.next()) {
                try (DecodedFrame f = next) {
                    frames.add(new DecodedPixels(f.pts(), codes(f.buffer().hostBytes(), fmt)));
                }
            }
            assertEquals(0, pool.stats().leasesOut());
        }
        return frames;
    }

    private static void assertIncreasingPts(List<DecodedPixels> frames) {
        for (int i = 1; i < frames.size(); i++) {
            assertTrue(frames.get(i).pts > frames.get(i - 1).pts, "pts of frame " + i);
        }
    }
}
