package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P10LE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.VideoCodec;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;

/**
 * swscale used as a pure re-layout (planar <-> semi-planar, 10-bit shift) must be exact, at odd
 * sizes too: any rounding or range conversion here would be silent colour damage.
 */
class PixelConversionTest {
    private final BucketedBufferPool pool = BucketedBufferPool.host("pixel-test");
    private final Random random = new Random(7);

    @AfterEach
    void noLeaks() {
        assertEquals(0, pool.stats().leasesOut());
        pool.close();
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"160,90", "35,19", "2,2"})
    void planar8BitPacksExactlyIntoNv12(int w, int h) {
        checkPack(w, h, AV_PIX_FMT_YUV420P, PixelFormat.NV12);
    }

    @Test
    void fullRangeYuvjIsPackedWithoutRangeConversion() {
        checkPack(35, 19, AV_PIX_FMT_YUVJ420P, PixelFormat.NV12);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"160,90", "35,19", "34,19", "35,18"})
    void planar10BitPacksExactlyIntoP010(int w, int h) {
        checkPack(w, h, AV_PIX_FMT_YUV420P10LE, PixelFormat.P010);
    }

    @ParameterizedTest(name = "{2} {0}x{1}")
    @CsvSource({"160,90,H264", "34,18,H264", "35,19,H264", "160,90,HEVC", "34,18,HEVC", "35,19,HEVC", "34,19,HEVC"})
    void nv12UnpacksExactlyForTheEncoder(int w, int h, VideoCodec codec) {
        checkUnpack(w, h, PixelFormat.NV12, AvPixelFormats.encoderInputOf(codec, PixelFormat.NV12));
    }

    @Test
    void p010UnpacksExactlyForThe10BitEncoder() {
        assertEquals(AV_PIX_FMT_YUV420P10LE, AvPixelFormats.encoderInputOf(VideoCodec.H264, PixelFormat.P010));
        checkUnpack(34, 18, PixelFormat.P010, AV_PIX_FMT_YUV420P10LE);
        checkUnpack(160, 90, PixelFormat.P010, AV_PIX_FMT_YUV420P10LE);
        checkUnpack(35, 18, PixelFormat.P010, AV_PIX_FMT_YUV420P10LE);
        checkUnpack(34, 19, PixelFormat.P010, AV_PIX_FMT_YUV420P10LE);
    }

    /** Random planar samples -> packer -> compare each sample with where the layout says it goes. */
    private void checkPack(int w, int h, int avFormat, PixelFormat layout) {
        AVFrame frame = planarFrame(w, h, avFormat);
        try (SemiPlanarPacker packer = new SemiPlanarPacker(w, h, avFormat, layout);
             FrameBuffer out = packer.pack(frame, pool)) {
            Plane[] planes = planesOf(frame, w, h, layout.bytesPerSample());
            ByteBuffer packed = out.hostBytes();
            int pitch = layout.pitch(w);
            int shift = layout == PixelFormat.P010 ? 6 : 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(planes[0].get(x, y) << shift, sample(packed, (long) y * pitch, x, layout),
                            "Y at " + x + "," + y);
                }
            }
            long uvBase = (long) pitch * h;
            for (int y = 0; y < PixelFormat.chromaHeight(h); y++) {
                for (int x = 0; x < (w + 1) / 2; x++) {
                    long row = uvBase + (long) y * pitch;
                    assertEquals(planes[1].get(x, y) << shift, sample(packed, row, 2 * x, layout), "U at " + x + "," + y);
                    assertEquals(planes[2].get(x, y) << shift, sample(packed, row, 2 * x + 1, layout), "V at " + x + "," + y);
                }
            }
        } finally {
            av_frame_free(frame);
        }
    }

    /** Random NV12/P010 buffer -> encoder input frame -> compare with its planes. */
    private void checkUnpack(int w, int h, PixelFormat layout, int encoderFormat) {
        int pitch = layout.pitch(w);
        int shift = layout == PixelFormat.P010 ? 6 : 0;
        int max = layout == PixelFormat.P010 ? 1023 : 255;
        try (FrameBuffer in = pool.acquire(layout.frameBytes(w, h));
             EncoderInputFrame unpacker = new EncoderInputFrame(w, h, layout, encoderFormat)) {
            ByteBuffer bytes = in.hostBytes();
            int samples = (int) (layout.frameBytes(w, h) / layout.bytesPerSample());
            for (int i = 0; i < samples; i++) {
                int v = random.nextInt(max + 1) << shift;
                if (layout == PixelFormat.P010) {
                    bytes.putShort(2 * i, (short) v);
                } else {
                    bytes.put(i, (byte) v);
                }
            }
            AVFrame f = unpacker.fill(in, 42);
            assertEquals(42, f.pts());
            long uvBase = (long) pitch * h;
            if (encoderFormat == AV_PIX_FMT_NV12) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        assertEquals(sample(bytes, (long) y * pitch, x, layout), Byte.toUnsignedInt(
                                f.data(0).get((long) y * f.linesize(0) + x)), "Y at " + x + "," + y);
                    }
                }
                for (int y = 0; y < PixelFormat.chromaHeight(h); y++) {
                    for (int x = 0; x < w; x++) {
                        assertEquals(sample(bytes, uvBase + (long) y * pitch, x, layout), Byte.toUnsignedInt(
                                f.data(1).get((long) y * f.linesize(1) + x)), "UV at " + x + "," + y);
                    }
                }
                return;
            }
            Plane[] planes = planesOf(f, w, h, layout.bytesPerSample());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(sample(bytes, (long) y * pitch, x, layout) >> shift, planes[0].get(x, y),
                            "Y at " + x + "," + y);
                }
            }
            for (int y = 0; y < PixelFormat.chromaHeight(h); y++) {
                for (int x = 0; x < (w + 1) / 2; x++) {
                    long row = uvBase + (long) y * pitch;
                    assertEquals(sample(bytes, row, 2 * x, layout) >> shift, planes[1].get(x, y), "U at " + x + "," + y);
                    assertEquals(sample(bytes, row, 2 * x + 1, layout) >> shift, planes[2].get(x, y), "V at " + x + "," + y);
                }
            }
        }
    }

    private AVFrame planarFrame(int w, int h, int avFormat) {
        AVFrame f = av_frame_alloc();
        f.format(avFormat).width(w).height(h);
        assertEquals(0, av_frame_get_buffer(f, 0));
        boolean tenBit = avFormat == AV_PIX_FMT_YUV420P10LE;
        int max = tenBit ? 1023 : 255;
        for (int p = 0; p < 3; p++) {
            int pw = p == 0 ? w : (w + 1) / 2;
            int ph = p == 0 ? h : (h + 1) / 2;
            ByteBuffer plane = f.data(p).capacity((long) f.linesize(p) * ph).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    int v = random.nextInt(max + 1);
                    if (tenBit) {
                        plane.putShort(y * f.linesize(p) + 2 * x, (short) v);
                    } else {
                        plane.put(y * f.linesize(p) + x, (byte) v);
                    }
                }
            }
        }
        return f;
    }

    private static Plane[] planesOf(AVFrame f, int w, int h, int bytesPerSample) {
        Plane[] planes = new Plane[3];
        for (int p = 0; p < 3; p++) {
            int ph = p == 0 ? h : (h + 1) / 2;
            planes[p] = new Plane(f.data(p).capacity((long) f.linesize(p) * ph).asByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN), f.linesize(p), bytesPerSample);
        }
        return planes;
    }

    private static int sample(ByteBuffer b, long rowStart, int x, PixelFormat layout) {
        if (layout == PixelFormat.P010) {
            return Short.toUnsignedInt(b.getShort((int) (rowStart + 2L * x)));
        }
        return Byte.toUnsignedInt(b.get((int) (rowStart + x)));
    }

    private record Plane(ByteBuffer bytes, int stride, int bytesPerSample) {
        int get(int x, int y) {
            int at = y * stride + x * bytesPerSample;
            return bytesPerSample == 2 ? Short.toUnsignedInt(bytes.getShort(at)) : Byte.toUnsignedInt(bytes.get(at));
        }
    }
}
