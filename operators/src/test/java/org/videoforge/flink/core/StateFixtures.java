package org.videoforge.flink.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.RawInputHint;
import org.videoforge.codec.StreamSummary;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.inference.ModelRef;

/**
 * The tasks the state tests write, and the bytes version 1 of the code wrote (resources
 * {@code state/v1/}, see its README): the same values as its writer used, so that a test can
 * compare what it reads with what was written, field by field.
 */
public final class StateFixtures {
    private StateFixtures() {
    }

    /** The Matroska HEVC Main10 input of the version 1 fixtures: display matrix, audio and subtitles. */
    public static MediaInfo film() {
        VideoStreamInfo video = new VideoStreamInfo(VideoCodec.HEVC, 1280, 720, PixelFormat.P010,
                new ColorSpec(ColorMatrix.BT2020, ColorRange.LIMITED, true, true, 9, 14), new Rational(1, 12288),
                new Rational(24000, 1001), 1440, 60.06, new int[] {0, 65536, 0, -65536, 0, 0, 0, 0, 1073741824});
        return new MediaInfo(Path.of("/media/in/film.mkv"), "matroska,webm", 0, video,
                List.of(new StreamSummary(1, "audio", "aac", 60.0), new StreamSummary(2, "subtitle", "subrip", 58.5)),
                null);
    }

    /** A raw H.264 input (no container timestamps), probed with a hint. */
    public static MediaInfo raw() {
        return new MediaInfo(Path.of("/media/in/clip.h264"), "h264", 0,
                new VideoStreamInfo(VideoCodec.H264, 640, 360, PixelFormat.NV12,
                        new ColorSpec(ColorMatrix.BT601, ColorRange.LIMITED, false, false, 2, 2), new Rational(1, 1200000),
                        new Rational(25, 1), 0, -1), List.of(), new RawInputHint(VideoCodec.H264, 640, 360));
    }

    /** The fixtures' whole video with a request's options. */
    public static VideoTask wholeFilm() {
        return new VideoTask("req-1", film(), Path.of("/media/out/film-x2.mkv"), VideoCodec.H264)
                .withOptions(ModelRef.of("esrgan-slim-x4"), Precision.FP16, 21, 1764633600000L);
    }

    /** Its segment 4 of 12, as the fixtures hold it. */
    public static VideoSegment segment3() {
        return new VideoSegment(3, 12, 36864, 49152, 24, 72, Path.of("/staging/req-1-0a1b2c3d/segment-00003.mp4"));
    }

    public static byte[] v1(String name) throws IOException {
        try (InputStream in = StateFixtures.class.getResourceAsStream("/state/v1/" + name)) {
            if (in == null) {
                throw new IOException("no fixture state/v1/" + name);
            }
            return in.readAllBytes();
        }
    }
}
