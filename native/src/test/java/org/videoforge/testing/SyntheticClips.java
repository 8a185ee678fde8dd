package org.videoforge.testing;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_BT2020;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_BT2020_10;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_BT709;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.VideoWriter;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;

/**
 * Test and benchmark videos made with the engine's own encoder ({@link VideoWriter}: libx264 /
 * libx265 of the bundled FFmpeg), so they need no ffmpeg binary: they can be made on a GPU host
 * that has nothing but Java and our jars. The container follows the file's extension (.mp4, .mkv,
 * .mov, .h264, ...). Frame {@code i} has pts {@code i} in a 1/fps time base.
 *
 * <p>Content: a deterministic moving pattern ({@link #fillFrame}) with what a super-resolution
 * model visibly changes: a panning background of smooth luma and chroma gradients carrying a
 * fine texture (sinusoid weave plus grain) and a 1-pixel ruler grid, a zone plate drifting on a
 * Lissajous path (frequencies up to near Nyquist), a scrolling checkerboard band (hard edges) and a
 * bouncing bordered box. Same arguments, same pixels.
 */
public final class SyntheticClips {
    /** x264 "veryfast" keeps B-frames (3, adaptive) but encodes 1080p quickly. */
    static final String PRESET = "veryfast";
    /** BT.709 limited range, BT.709 primaries and transfer. */
    public static final ColorSpec H264_COLOR =
            new ColorSpec(ColorMatrix.BT709, ColorRange.LIMITED, true, true, AVCOL_PRI_BT709, AVCOL_TRC_BT709);
    /** BT.2020 (non-constant luminance) limited range, BT.2020 primaries, BT.2020 10-bit transfer (SDR). */
    public static final ColorSpec HEVC10_COLOR =
            new ColorSpec(ColorMatrix.BT2020, ColorRange.LIMITED, true, true, AVCOL_PRI_BT2020, AVCOL_TRC_BT2020_10);

    private SyntheticClips() {
    }

    /**
     * Writes a clip from the command line, for benchmarks on hosts without an ffmpeg binary:
     * {@code SyntheticClips h264|hevc10 FILE WIDTH HEIGHT FRAMES FPS [KEYFRAME_INTERVAL]}.
     */
    public static void main(String[] args) {
        if (args.length < 6 || args.length > 7 || !(args[0].equals("h264") || args[0].equals("hevc10"))) {
            System.err.println("usage: SyntheticClips h264|hevc10 FILE WIDTH HEIGHT FRAMES FPS [KEYFRAME_INTERVAL]");
            System.exit(2);
        }
        Path file = Path.of(args[1]);
        int w = Integer.parseInt(args[2]);
        int h = Integer.parseInt(args[3]);
        int frames = Integer.parseInt(args[4]);
        Rational fps = new Rational(Integer.parseInt(args[5]), 1);
        int gop = args.length == 7 ? Integer.parseInt(args[6]) : 0;
        EncoderSettings s = args[0].equals("h264")
                ? settings(VideoCodec.H264, PixelFormat.NV12, H264_COLOR, w, h, fps)
                : settings(VideoCodec.HEVC, PixelFormat.P010, HEVC10_COLOR, w, h, fps);
        Path written = write(file, s.toBuilder().keyframeInterval(gop).build(), frames);
        System.out.println("wrote " + written);
    }

    /** 8-bit H.264 (NV12 in, yuv420p coded, B-frames allowed), BT.709 limited tags. */
    public static Path h264(Path file, int w, int h, int frames, Rational fps) {
        return write(file, settings(VideoCodec.H264, PixelFormat.NV12, H264_COLOR, w, h, fps), frames);
    }

    /** As {@link #h264(Path, int, int, int, Rational)}, a keyframe at least every {@code keyframeInterval} frames. */
    public static Path h264(Path file, int w, int h, int frames, Rational fps, int keyframeInterval) {
        return write(file, settings(VideoCodec.H264, PixelFormat.NV12, H264_COLOR, w, h, fps).toBuilder()
                .keyframeInterval(keyframeInterval).build(), frames);
    }

    /** 8-bit HEVC (NV12 in, yuv420p coded), BT.709 limited tags. */
    public static Path hevc8(Path file, int w, int h, int frames, Rational fps) {
        return write(file, settings(VideoCodec.HEVC, PixelFormat.NV12, H264_COLOR, w, h, fps), frames);
    }

    /** 10-bit HEVC (P010 in, yuv420p10le coded), BT.2020 tags. */
    public static Path hevc10(Path file, int w, int h, int frames, Rational fps) {
        return write(file, settings(VideoCodec.HEVC, PixelFormat.P010, HEVC10_COLOR, w, h, fps), frames);
    }

    /** Settings of {@link #h264}: 8-bit H.264, BT.709 limited tags; add a keyframe interval or GOP type. */
    public static EncoderSettings.Builder h264Settings(int w, int h, Rational fps) {
        return settings(VideoCodec.H264, PixelFormat.NV12, H264_COLOR, w, h, fps).toBuilder();
    }

    /** Settings of {@link #hevc8}. */
    public static EncoderSettings.Builder hevc8Settings(int w, int h, Rational fps) {
        return settings(VideoCodec.HEVC, PixelFormat.NV12, H264_COLOR, w, h, fps).toBuilder();
    }

    /** Settings of {@link #hevc10}. */
    public static EncoderSettings.Builder hevc10Settings(int w, int h, Rational fps) {
        return settings(VideoCodec.HEVC, PixelFormat.P010, HEVC10_COLOR, w, h, fps).toBuilder();
    }

    static EncoderSettings settings(VideoCodec codec, PixelFormat fmt, ColorSpec color, int w, int h, Rational fps) {
        checkSize(w, h);
        return EncoderSettings.builder(codec, w, h).pixelFormat(fmt).color(color).frameRate(fps)
                .timeBase(new Rational(fps.den(), fps.num())).preset(PRESET).build();
    }

    /** Encodes {@code frames} pattern frames with {@code s}; on failure no file is left behind. */
    public static Path write(Path file, EncoderSettings s, int frames) {
        return write(file, s, frames, null);
    }

    /**
     * As {@link #write(Path, EncoderSettings, int)}, with the audio and subtitle streams of
     * {@code copyStreamsFrom} (null: none) copied in, as the engine's writer copies a source's.
     */
    public static Path write(Path file, EncoderSettings s, int frames, MediaInfo copyStreamsFrom) {
        if (frames <= 0) {
            throw new IllegalArgumentException("frames must be positive: " + frames);
        }
        PixelFormat fmt = s.pixelFormat();
        boolean done = false;
        try (BucketedBufferPool pool = BucketedBufferPool.host("synthetic-clips");
             FrameBuffer frame = pool.acquire(fmt.frameBytes(s.width(), s.height()));
             VideoWriter writer = VideoWriter.open(file, VideoWriter.containerFormatFor(file), s, copyStreamsFrom)) {
            for (int i = 0; i < frames; i++) {
                fillFrame(frame.hostBytes(), fmt, s.width(), s.height(), i);
                writer.write(frame, i); // the writer copies the pixels: the buffer can be refilled at once
            }
            writer.finish();
            done = true;
            return file;
        } finally {
            if (!done) {
                deleteQuietly(file);
            }
        }
    }

    /**
     * Writes pattern frame {@code index} into {@code dst} in {@code fmt}'s tight layout: luma rows of
     * {@link PixelFormat#pitch} bytes, then {@link PixelFormat#chromaHeight} interleaved UV rows; P010
     * samples are the 10-bit code shifted left by 6, little-endian. Limited range codes.
     */
    public static void fillFrame(ByteBuffer dst, PixelFormat fmt, int w, int h, int index) {
        checkSize(w, h);
        if (dst.capacity() < fmt.frameBytes(w, h)) {
            throw new IllegalArgumentException("a " + w + "x" + h + " " + fmt + " frame needs " + fmt.frameBytes(w, h)
                    + " bytes, the buffer holds " + dst.capacity());
        }
        Pattern p = new Pattern(w, h, index);
        int pitch = fmt.pitch(w);
        int[] luma = new int[w];
        int[] uv = new int[w]; // w/2 (U, V) pairs
        Row out = fmt == PixelFormat.P010 ? new P010Row(dst, w) : new Nv12Row(dst, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                luma[x] = p.luma(x, y);
            }
            out.put((long) y * pitch, luma);
        }
        long chromaStart = (long) h * pitch;
        for (int cy = 0; cy < PixelFormat.chromaHeight(h); cy++) {
            for (int cx = 0; cx < w / 2; cx++) {
                p.chroma(2 * cx, 2 * cy, uv, 2 * cx);
            }
            out.put(chromaStart + (long) cy * pitch, uv);
        }
    }

    private static void checkSize(int w, int h) {
        if (w < 16 || h < 16 || w % 2 != 0 || h % 2 != 0) {
            throw new IllegalArgumentException("clip size must be even and at least 16x16: " + w + "x" + h);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the original failure is what matters
        }
    }

    /** One row of 10-bit codes into the frame, in the layout's sample format. */
    private interface Row {
        void put(long byteOffset, int[] codes10);
    }

    private static final class Nv12Row implements Row {
        private final ByteBuffer dst;
        private final byte[] row;

        Nv12Row(ByteBuffer dst, int w) {
            this.dst = dst;
            this.row = new byte[w];
        }

        @Override
        public void put(long byteOffset, int[] codes10) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (byte) ((codes10[i] + 2) >> 2); // 10-bit to 8-bit, rounded; codes <= 960 stay <= 240
            }
            dst.put((int) byteOffset, row);
        }
    }

    private static final class P010Row implements Row {
        private final ShortBuffer dst;
        private final short[] row;

        P010Row(ByteBuffer dst, int w) {
            this.dst = dst.asShortBuffer(); // keeps dst's (little-endian) order
            this.row = new short[w];
        }

        @Override
        public void put(long byteOffset, int[] codes10) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (short) (codes10[i] << 6);
            }
            dst.put((int) (byteOffset / 2), row);
        }
    }

    /** The pattern of one frame, as 10-bit limited-range codes (luma 64..940, chroma 64..960). */
    static final class Pattern {
        private static final int[] SIN = new int[1024]; // 1024 * sin(2 pi i / 1024)

        static {
            for (int i = 0; i < SIN.length; i++) {
                SIN[i] = (int) Math.round(1024 * Math.sin(2 * Math.PI * i / SIN.length));
            }
        }

        private final int w;
        private final int h;
        private final int panX;
        private final int panY;
        private final int zoneX;
        private final int zoneY;
        private final int zoneR2;
        private final long zoneK;
        private final int bandTop;
        private final int bandBottom;
        private final int square;
        private final int scroll;
        private final int boxX;
        private final int boxY;
        private final int boxW;
        private final int boxH;
        private final int border;

        Pattern(int w, int h, int t) {
            this.w = w;
            this.h = h;
            panX = t * Math.max(1, w / 320);
            panY = t * Math.max(1, h / 540);
            int zoneR = h / 4;
            zoneX = w / 4 + (w / 10) * sin(t * 1024 / 96) / 1024;
            zoneY = h / 2 + (h / 10) * cos(t * 1024 / 128) / 1024;
            zoneR2 = zoneR * zoneR;
            // cos(k r^2) has local frequency k r / pi cycles per pixel: 0.45 at the rim. In table steps, 16.16 fixed point.
            zoneK = Math.round(0.45 * Math.PI / zoneR * SIN.length / (2 * Math.PI) * 65536);
            bandTop = h * 11 / 16;
            bandBottom = h * 13 / 16;
            square = Math.max(4, h / 45);
            scroll = t * Math.max(1, w / 480);
            boxW = w / 6;
            boxH = h / 5;
            boxX = bounce(t * Math.max(1, w / 200), w - boxW);
            boxY = bounce(t * Math.max(1, h / 150), h - boxH);
            border = Math.max(2, h / 270);
        }

        int luma(int x, int y) {
            if (inBox(x, y)) {
                return onBorder(x, y) ? 80 : 820 + (((x - boxX) / border + (y - boxY) / border) % 3 == 0 ? 60 : 0);
            }
            if (y >= bandTop && y < bandBottom) {
                return (((x + scroll) / square + y / square) & 1) == 0 ? 180 : 860;
            }
            int dx = x - zoneX;
            int dy = y - zoneY;
            int r2 = dx * dx + dy * dy;
            if (r2 < zoneR2) {
                return 502 + cos((int) ((r2 * zoneK) >> 16)) * 380 / 1024;
            }
            int u = x + panX;
            int v = y + panY;
            if ((u & 63) == 0 || (v & 63) == 0) {
                return 100; // ruler grid: 1-pixel lines
            }
            int ramp = triangle(u + v, w + h); // 0..1024
            int weave = sin(u * 29) * sin(v * 23) / (1 << 15); // +-32, period ~35 x 45 px
            int grain = (hash(u, v) & 31) - 16; // +-16
            return clamp(164 + ramp * 600 / 1024 + weave + grain, 64, 940);
        }

        /** U and V at full-resolution point (x, y), into uv[at] and uv[at + 1]. */
        void chroma(int x, int y, int[] uv, int at) {
            int u;
            int v;
            if (inBox(x, y)) {
                u = onBorder(x, y) ? 512 : 400;
                v = onBorder(x, y) ? 512 : 820;
            } else if (y >= bandTop && y < bandBottom) {
                u = 600;
                v = 470;
            } else {
                int dx = x - zoneX;
                int dy = y - zoneY;
                if (dx * dx + dy * dy < zoneR2) {
                    u = 512;
                    v = 512;
                } else {
                    int px = x + panX;
                    int py = y + panY;
                    u = 512 + sin(px * 512 / w) * 220 / 1024;
                    v = 512 + cos(py * 512 / h) * 220 / 1024;
                }
            }
            uv[at] = clamp(u, 64, 960);
            uv[at + 1] = clamp(v, 64, 960);
        }

        private boolean inBox(int x, int y) {
            return x >= boxX && x < boxX + boxW && y >= boxY && y < boxY + boxH;
        }

        private boolean onBorder(int x, int y) {
            return x < boxX + border || x >= boxX + boxW - border || y < boxY + border || y >= boxY + boxH - border;
        }

        private static int sin(int step) {
            return SIN[step & 1023];
        }

        private static int cos(int step) {
            return SIN[(step + 256) & 1023];
        }

        /** 0 at a multiple of period, 1024 half-way: a ramp without a jump. */
        private static int triangle(int a, int period) {
            int m = a % period;
            int half = period / 2;
            return (int) ((long) (m <= half ? m : period - m) * 1024 / Math.max(1, half));
        }

        /** Position in [0, range] moving {@code travelled} px back and forth. */
        private static int bounce(int travelled, int range) {
            if (range <= 0) {
                return 0;
            }
            int m = travelled % (2 * range);
            return m <= range ? m : 2 * range - m;
        }

        private static int hash(int x, int y) {
            int k = x * 0x27d4eb2d ^ y * 0x165667b1;
            k ^= k >>> 15;
            k *= 0x85ebca6b;
            return k ^ (k >>> 13);
        }

        private static int clamp(int v, int lo, int hi) {
            return Math.max(lo, Math.min(hi, v));
        }
    }
}
