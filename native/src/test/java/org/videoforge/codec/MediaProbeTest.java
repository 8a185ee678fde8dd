package org.videoforge.codec;

import org.videoforge.testing.FfmpegCli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.frame.VideoStreamInfo;

class MediaProbeTest {
    /** AVColorPrimaries / AVColorTransferCharacteristic values, as FFmpeg numbers them. */
    private static final int SMPTE170M = 6;
    private static final int BT709 = 1;
    private static final int BT2020 = 9;
    private static final int SMPTE2084 = 16;
    private static final int UNSPECIFIED = 2;

    @TempDir
    static Path dir;

    @BeforeAll
    static void tools() {
        FfmpegCli.assumeInstalled();
    }

    @Test
    void h264Bt601LimitedWithAudio() throws Exception {
        Path in = TestVideos.video(dir, "sd601.mp4", TestVideos.SIZE, 1,
                List.of("-f", "lavfi", "-i", "sine=sample_rate=48000:duration=1", "-c:v", "libx264",
                        "-pix_fmt", "yuv420p", "-c:a", "aac"),
                "-colorspace", "smpte170m", "-color_primaries", "smpte170m", "-color_trc", "smpte170m",
                "-color_range", "tv");
        MediaInfo info = MediaProbe.probe(in, null);
        VideoStreamInfo v = info.video();
        assertEquals(VideoCodec.H264, v.codec());
        assertEquals(160, v.width());
        assertEquals(90, v.height());
        assertEquals(PixelFormat.NV12, v.pixelFormat());
        assertEquals(24, v.frameCount());
        assertEquals(new Rational(24, 1), v.frameRate());
        assertEquals(new Rational(1, 12288), v.timeBase()); // what FFmpeg's mp4 muxer picks for 24 fps
        assertEquals(1.0, v.durationSeconds(), 0.01);
        assertEquals(new ColorSpec(ColorMatrix.BT601, ColorRange.LIMITED, true, true, SMPTE170M, SMPTE170M), v.color());
        assertEquals(0, info.videoStreamIndex());
        assertTrue(info.formatName().contains("mp4"), info.formatName());
        assertEquals(1, info.otherStreams().size());
        StreamSummary audio = info.otherStreams().get(0);
        assertEquals(1, audio.index());
        assertEquals("audio", audio.mediaType());
        assertEquals("aac", audio.codecName());
        assertEquals(FfmpegCli.stream(FfmpegCli.probe(in), "audio").path("duration").asDouble(),
                info.audioDurationSeconds(), 1e-6);
        assertNull(info.rawHint());
        assertEquals(info.toString(), roundTrip(info).toString()); // it travels in Flink job graphs
    }

    @Test
    void h264Bt709FullRange() {
        Path in = TestVideos.h264(dir, "full709.mp4", 0.5, "-colorspace", "bt709", "-color_primaries", "bt709",
                "-color_trc", "bt709", "-color_range", "pc");
        VideoStreamInfo v = MediaProbe.probe(in, null).video();
        assertEquals(new ColorSpec(ColorMatrix.BT709, ColorRange.FULL, true, true, BT709, BT709), v.color());
        assertEquals(PixelFormat.NV12, v.pixelFormat()); // yuvj420p is 8-bit 4:2:0 too
        assertEquals(-1, MediaProbe.probe(in, null).audioDurationSeconds());
    }

    @Test
    void hevc10BitBt2020() {
        Path in = TestVideos.hevc10(dir, "hdr.mp4", 0.5);
        VideoStreamInfo v = MediaProbe.probe(in, null).video();
        assertEquals(VideoCodec.HEVC, v.codec());
        assertEquals(PixelFormat.P010, v.pixelFormat());
        assertEquals(12, v.frameCount());
        // x265 writes the range into the VUI even when it is the default.
        assertEquals(new ColorSpec(ColorMatrix.BT2020, ColorRange.LIMITED, true, true, BT2020, SMPTE2084), v.color());
    }

    @Test
    void untaggedColourIsInferredFromTheHeight() {
        Path sd = TestVideos.h264(dir, "untagged-sd.mp4", 0.1);
        Path hd = TestVideos.video(dir, "untagged-hd.mp4", "1280x720", 0.05,
                List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
        assertEquals(new ColorSpec(ColorMatrix.BT601, ColorRange.LIMITED, false, false, UNSPECIFIED, UNSPECIFIED),
                MediaProbe.probe(sd, null).video().color());
        assertEquals(new ColorSpec(ColorMatrix.BT709, ColorRange.LIMITED, false, false, UNSPECIFIED, UNSPECIFIED),
                MediaProbe.probe(hd, null).video().color());
    }

    @Test
    void subtitleStreamsAreListed() {
        MediaInfo info = MediaProbe.probe(TestVideos.withAudioAndSubtitles(dir, "subs.mp4"), null);
        assertEquals(List.of("audio", "subtitle"), info.otherStreams().stream().map(StreamSummary::mediaType).toList());
        assertEquals("mov_text", info.otherStreams().get(1).codecName());
        assertEquals(2.0, info.audioDurationSeconds(), 0.05);
        assertEquals(48, info.video().frameCount());
    }

    @Test
    void rawBitstreamNeedsAHintAndIsOpenedWithIt() {
        Path raw = TestVideos.h264(dir, "raw.h264", 0.5);
        EngineError e = assertThrows(EngineError.class, () -> MediaProbe.probe(raw, null));
        assertEquals(ErrorCode.RAW_STREAM_NEEDS_GEOMETRY, e.code());

        RawInputHint hint = new RawInputHint(VideoCodec.H264, 160, 90);
        MediaInfo info = MediaProbe.probe(raw, hint);
        assertEquals("h264", info.formatName());
        assertEquals(VideoCodec.H264, info.video().codec());
        assertEquals(160, info.video().width());
        assertEquals(90, info.video().height());
        assertEquals(-1, info.video().frameCount()); // raw streams declare nothing
        assertEquals(hint, info.rawHint());
    }

    @Test
    void missingFile() {
        assertCode(ErrorCode.INPUT_NOT_FOUND, dir.resolve("nope.mp4"));
        assertCode(ErrorCode.INPUT_NOT_FOUND, dir.resolve("nope.h264")); // before asking for geometry
    }

    @Test
    void emptyFileAndNonMediaAreUnreadable() throws Exception {
        assertCode(ErrorCode.INPUT_UNREADABLE, Files.write(dir.resolve("empty.mp4"), new byte[0]));
        assertCode(ErrorCode.INPUT_UNREADABLE, TestVideos.write(dir.resolve("notes.mp4"), "just some text\n".repeat(50)));
        assertCode(ErrorCode.INPUT_UNREADABLE, Files.createDirectories(dir.resolve("folder.mp4")));
    }

    @Test
    void audioOnlyHasNoVideoStream() {
        Path in = dir.resolve("audio.m4a");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "sine=duration=0.5", "-c:a", "aac", in.toString());
        assertCode(ErrorCode.NO_VIDEO_STREAM, in);
    }

    @Test
    void otherVideoCodecsAreUnsupported() {
        Path mpeg4 = TestVideos.video(dir, "mpeg4.mp4", TestVideos.SIZE, 0.2, List.of("-c:v", "mpeg4"));
        Path vp9 = TestVideos.video(dir, "vp9.webm", TestVideos.SIZE, 0.2,
                List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"));
        assertTrue(assertCode(ErrorCode.UNSUPPORTED_CODEC, mpeg4).getMessage().contains("mpeg4"));
        assertTrue(assertCode(ErrorCode.UNSUPPORTED_CODEC, vp9).getMessage().contains("vp9"));
    }

    @Test
    void onlyFourTwoZeroIsSupported() {
        Path yuv444 = TestVideos.video(dir, "444.mp4", TestVideos.SIZE, 0.2,
                List.of("-c:v", "libx264", "-pix_fmt", "yuv444p"));
        Path yuv422 = TestVideos.video(dir, "422-10.mkv", TestVideos.SIZE, 0.2,
                List.of("-c:v", "libx265", "-pix_fmt", "yuv422p10le", "-x265-params", "log-level=error"));
        assertTrue(assertCode(ErrorCode.UNSUPPORTED_PIXEL_FORMAT, yuv444).getMessage().contains("yuv444p"));
        assertTrue(assertCode(ErrorCode.UNSUPPORTED_PIXEL_FORMAT, yuv422).getMessage().contains("yuv422p10"));
    }

    @Test
    void rawPathsAreRecognisedByExtension() {
        for (String name : List.of("a.h264", "a.264", "a.AVC", "a.h265", "a.265", "a.hevc")) {
            assertTrue(RawInputHint.isRawBitstreamPath(Path.of(name)), name);
        }
        for (String name : List.of("a.mp4", "a.mkv", "h264", "a.h264.mp4")) {
            assertFalse(RawInputHint.isRawBitstreamPath(Path.of(name)), name);
        }
        assertThrows(IllegalArgumentException.class, () -> new RawInputHint(VideoCodec.HEVC, 0, 90));
    }

    private static EngineError assertCode(ErrorCode expected, Path input) {
        EngineError e = assertThrows(EngineError.class, () -> MediaProbe.probe(input, null));
        assertEquals(expected, e.code(), e.getMessage());
        return e;
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
