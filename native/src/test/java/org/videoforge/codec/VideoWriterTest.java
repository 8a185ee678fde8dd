package org.videoforge.codec;

import org.videoforge.testing.FfmpegCli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;

/** Decode -> write round trips, judged by ffprobe. */
class VideoWriterTest {
    @TempDir
    static Path dir;
    private static Path withAudioAndSubs;

    private final BucketedBufferPool pool = BucketedBufferPool.host("writer-test");

    @BeforeAll
    static void inputs() {
        FfmpegCli.assumeInstalled();
        withAudioAndSubs = TestVideos.withAudioAndSubtitles(dir, "source.mp4");
    }

    @AfterEach
    void everyLeaseCameBack() {
        assertEquals(0, pool.stats().leasesOut());
        pool.close();
    }

    @Test
    void sameSizeRoundTripKeepsFramesTimingAudioSubtitlesAndColour() {
        MediaInfo info = MediaProbe.probe(withAudioAndSubs, null);
        Path out = transcode(info, dir.resolve("same.tmp"), "mp4", EncoderSettings.like(info.video()), 1);

        JsonNode probe = FfmpegCli.probe(out);
        JsonNode video = FfmpegCli.stream(probe, "video");
        assertEquals("h264", video.path("codec_name").asText());
        assertEquals(160, video.path("width").asInt());
        assertEquals(90, video.path("height").asInt());
        assertEquals("bt709", video.path("color_space").asText());
        assertEquals("bt709", video.path("color_primaries").asText());
        assertEquals("bt709", video.path("color_transfer").asText());
        assertEquals("tv", video.path("color_range").asText());
        assertEquals(48, FfmpegCli.countFrames(out));
        assertEquals(FfmpegCli.framePts(withAudioAndSubs), FfmpegCli.framePts(out));

        JsonNode audioIn = FfmpegCli.stream(FfmpegCli.probe(withAudioAndSubs), "audio");
        JsonNode audio = FfmpegCli.stream(probe, "audio");
        assertNotNull(audio, "audio copied");
        assertEquals("aac", audio.path("codec_name").asText());
        assertEquals(audioIn.path("duration").asDouble(), audio.path("duration").asDouble(), 0.05);
        assertEquals(audioIn.path("nb_frames").asLong(), audio.path("nb_frames").asLong());
        JsonNode subs = FfmpegCli.stream(probe, "subtitle");
        assertNotNull(subs, "subtitles copied");
        assertEquals("mov_text", subs.path("codec_name").asText());
        assertEquals(FfmpegCli.stream(FfmpegCli.probe(withAudioAndSubs), "subtitle").path("nb_frames").asLong(),
                subs.path("nb_frames").asLong());
    }

    @Test
    void twiceTheSizeByDuplicatingPixels() {
        MediaInfo info = MediaProbe.probe(withAudioAndSubs, null);
        Path out = transcode(info, dir.resolve("double.tmp"), "mp4",
                EncoderSettings.like(info.video()).size(320, 180), 2);

        JsonNode probe = FfmpegCli.probe(out);
        JsonNode video = FfmpegCli.stream(probe, "video");
        assertEquals(320, video.path("width").asInt());
        assertEquals(180, video.path("height").asInt());
        assertEquals(48, FfmpegCli.countFrames(out));
        assertNotNull(FfmpegCli.stream(probe, "audio"));
        assertEquals(FfmpegCli.stream(FfmpegCli.probe(withAudioAndSubs), "audio").path("duration").asDouble(),
                FfmpegCli.stream(probe, "audio").path("duration").asDouble(), 0.05);

        // The pixels landed where they belong: the output's luma is the source's, doubled, give or take coding loss.
        byte[] src = FfmpegCli.rawFrames(withAudioAndSubs, "yuv420p");
        byte[] dst = FfmpegCli.rawFrames(out, "yuv420p");
        long diff = 0;
        for (int y = 0; y < 180; y++) {
            for (int x = 0; x < 320; x++) {
                diff += Math.abs((src[(y / 2) * 160 + x / 2] & 0xff) - (dst[y * 320 + x] & 0xff));
            }
        }
        assertTrue(diff / (320.0 * 180) < 3, "mean luma error " + diff / (320.0 * 180));
    }

    @Test
    void variableFrameRateStaysVariable() {
        Path vfr = TestVideos.vfr(dir, "vfr.mp4");
        MediaInfo info = MediaProbe.probe(vfr, null);
        Path out = transcode(info, dir.resolve("vfr.tmp"), "mp4", EncoderSettings.like(info.video()), 1);
        List<Double> expected = FfmpegCli.framePtsSeconds(vfr);
        List<Double> got = FfmpegCli.framePtsSeconds(out);
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), got.get(i), 1e-4, "frame " + i);
        }
        assertEquals(FfmpegCli.stream(FfmpegCli.probe(vfr), "audio").path("duration").asDouble(),
                FfmpegCli.stream(FfmpegCli.probe(out), "audio").path("duration").asDouble(), 0.05);
    }

    @Test
    void tenBitHevcStaysTenBit() {
        Path hdr = TestVideos.hevc10(dir, "hdr.mp4", 0.5);
        MediaInfo info = MediaProbe.probe(hdr, null);
        Path out = transcode(info, dir.resolve("hdr.tmp"), "mp4", EncoderSettings.like(info.video()), 1);
        JsonNode video = FfmpegCli.stream(FfmpegCli.probe(out), "video");
        assertEquals("hevc", video.path("codec_name").asText());
        assertEquals("yuv420p10le", video.path("pix_fmt").asText());
        assertEquals("bt2020nc", video.path("color_space").asText());
        assertEquals("bt2020", video.path("color_primaries").asText());
        assertEquals("smpte2084", video.path("color_transfer").asText());
        assertEquals(12, FfmpegCli.countFrames(out));
        assertEquals(FfmpegCli.framePts(hdr), FfmpegCli.framePts(out));
    }

    @Test
    void eightBitToHevcInMatroskaKeepsFullRangeAndAudio() {
        Path full = TestVideos.video(dir, "full.mp4", TestVideos.SIZE, 1,
                List.of("-f", "lavfi", "-i", "sine=sample_rate=48000:duration=1", "-c:v", "libx264",
                        "-pix_fmt", "yuv420p", "-c:a", "aac"),
                "-color_range", "pc", "-colorspace", "bt470bg", "-color_primaries", "bt470bg");
        MediaInfo info = MediaProbe.probe(full, null);
        assertEquals(ColorRange.FULL, info.video().color().range());
        assertEquals(ColorMatrix.BT601, info.video().color().matrix());
        Path out = transcode(info, dir.resolve("full.tmp"), VideoWriter.containerFormatFor(Path.of("x.mkv")),
                EncoderSettings.like(info.video()).codec(VideoCodec.HEVC), 1);
        JsonNode probe = FfmpegCli.probe(out);
        assertTrue(probe.path("format").path("format_name").asText().contains("matroska"));
        JsonNode video = FfmpegCli.stream(probe, "video");
        assertEquals("hevc", video.path("codec_name").asText());
        assertEquals("yuvj420p", video.path("pix_fmt").asText()); // libx265 fed yuv420p, tagged full range
        assertEquals("pc", video.path("color_range").asText());
        assertEquals("bt470bg", video.path("color_space").asText());
        assertEquals(24, FfmpegCli.countFrames(out));
        assertNotNull(FfmpegCli.stream(probe, "audio"));
        // Matroska keeps stream durations only as tags; the probe reads them from there.
        Path mkv = dir.resolve("full-copy.mkv");
        FfmpegCli.ffmpeg("-i", out.toString(), "-c", "copy", mkv.toString());
        assertEquals(1.0, MediaProbe.probe(mkv, null).audioDurationSeconds(), 0.05);
    }

    @Test
    void rawAnnexBOutput() {
        MediaInfo info = MediaProbe.probe(withAudioAndSubs, null);
        assertEquals("h264", VideoWriter.containerFormatFor(Path.of("out.264")));
        Path out = transcode(info, dir.resolve("raw.tmp"), "h264", EncoderSettings.like(info.video()), 1);
        assertEquals(48, FfmpegCli.countFrames(out));
        JsonNode probe = FfmpegCli.probe(out);
        assertEquals(1, probe.path("streams").size(), "a raw bitstream holds the video only");
        assertEquals("h264", FfmpegCli.stream(probe, "video").path("codec_name").asText());
    }

    @Test
    void containerFormatsByExtension() {
        Map<String, String> expected = Map.of("a.mp4", "mp4", "a.MKV", "matroska", "a.mov", "mov", "a.avi", "avi",
                "a.webm", "webm", "a.h264", "h264", "a.264", "h264", "a.h265", "hevc", "a.265", "hevc",
                "a.hevc", "hevc");
        expected.forEach((name, muxer) -> assertEquals(muxer, VideoWriter.containerFormatFor(Path.of(name)), name));
        for (String bad : List.of("a.gif", "noextension", "a.")) {
            EngineError e = assertThrows(EngineError.class, () -> VideoWriter.containerFormatFor(Path.of(bad)));
            assertEquals(ErrorCode.ENCODER_UNAVAILABLE, e.code());
        }
    }

    @Test
    void bothSoftwareEncodersAreThereAtBothDepths() {
        for (VideoCodec codec : VideoCodec.values()) {
            for (PixelFormat format : PixelFormat.values()) {
                VideoWriter.checkEncoderAvailable(codec, format);
            }
        }
    }

    @Test
    void missingOutputDirectory() {
        EngineError e = assertThrows(EngineError.class, () -> VideoWriter.open(dir.resolve("no/such/dir/out.tmp"),
                "mp4", settings(VideoCodec.H264).build(), null));
        assertEquals(ErrorCode.OUTPUT_WRITE_FAILED, e.code());
    }

    @Test
    void containerThatCannotHoldTheCodec() {
        EngineError e = assertThrows(EngineError.class, () -> VideoWriter.open(dir.resolve("webm.tmp"), "webm",
                settings(VideoCodec.H264).build(), null));
        assertEquals(ErrorCode.ENCODER_UNAVAILABLE, e.code());
        EngineError unknown = assertThrows(EngineError.class, () -> VideoWriter.open(dir.resolve("x.tmp"), "nosuchmuxer",
                settings(VideoCodec.H264).build(), null));
        assertEquals(ErrorCode.ENCODER_UNAVAILABLE, unknown.code());
        assertTrue(unknown.getMessage().contains("nosuchmuxer"), unknown.getMessage());
    }

    @Test
    void timestampsMustIncrease() {
        Path out = dir.resolve("pts.tmp");
        try (VideoWriter w = VideoWriter.open(out, "mp4", settings(VideoCodec.H264).build(), null);
             FrameBuffer frame = grey(160, 90)) {
            w.write(frame, 0);
            w.write(frame, 1);
            EngineError e = assertThrows(EngineError.class, () -> w.write(frame, 1));
            assertEquals(ErrorCode.ENCODE_FAILED, e.code());
            w.finish();
            assertThrows(IllegalStateException.class, () -> w.write(frame, 2));
        }
        assertEquals(2, FfmpegCli.countFrames(out));
    }

    @Test
    void closingUnfinishedLeavesTheTempFileToTheCaller() {
        Path out = dir.resolve("abandoned.tmp");
        VideoWriter w = VideoWriter.open(out, "mp4", settings(VideoCodec.HEVC).build(), null);
        try (FrameBuffer frame = grey(160, 90)) {
            w.write(frame, 0);
        }
        w.close();
        w.close();
        assertTrue(Files.exists(out));
        assertThrows(IllegalStateException.class, w::finish);
    }

    private static EncoderSettings.Builder settings(VideoCodec codec) {
        return EncoderSettings.builder(codec, 160, 90).frameRate(new Rational(24, 1)).preset("ultrafast");
    }

    private FrameBuffer grey(int w, int h) {
        FrameBuffer b = pool.acquire(PixelFormat.NV12.frameBytes(w, h));
        ByteBuffer bytes = b.hostBytes();
        for (int i = 0; i < PixelFormat.NV12.frameBytes(w, h); i++) {
            bytes.put(i, (byte) 128);
        }
        return b;
    }

    /** Decodes {@code info}, scales each frame up by {@code factor} (nearest), writes it with audio and subtitles. */
    private Path transcode(MediaInfo info, Path out, String format, EncoderSettings.Builder settings, int factor) {
        EncoderSettings s = settings.preset("ultrafast").build();
        try (VideoDecoder decoder = VideoDecoder.open(info, pool);
             VideoWriter writer = VideoWriter.open(out, format, s, info)) {
            for (DecodedFrame next = decoder.next(); next != null; next = decoder.next()) {
                try (DecodedFrame f = next) {
                    if (factor == 1) {
                        writer.write(f.buffer(), f.pts());
                    } else {
                        try (FrameBuffer big = NearestUpscale.of(f, factor, pool)) {
                            writer.write(big, f.pts());
                        }
                    }
                }
            }
            writer.finish();
            assertEquals(decoder.framesDecoded(), writer.framesWritten());
        }
        return out;
    }
}
