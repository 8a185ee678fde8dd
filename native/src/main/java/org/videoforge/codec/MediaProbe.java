package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_get_media_type_string;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.frame.VideoStreamInfo;

/** Opens an input once, checks that the pipeline can process it, and describes it. */
public final class MediaProbe {
    /** H.264 / HEVC level 6.2: 139,264 macroblocks of 16x16 a frame, and at most 16384 a side. */
    static final long MAX_PIXELS = 139_264L * 256;
    static final int MAX_SIDE = 16_384;

    private MediaProbe() {
    }

    /**
     * Probes {@code input}. A raw Annex B bitstream (see {@link RawInputHint#isRawBitstreamPath})
     * needs {@code hintOrNull}; for containers the hint is ignored.
     *
     * @throws EngineError INPUT_NOT_FOUND, INPUT_UNREADABLE, RAW_STREAM_NEEDS_GEOMETRY, NO_VIDEO_STREAM,
     *                     UNSUPPORTED_CODEC, UNSUPPORTED_PIXEL_FORMAT, FRAME_SIZE_UNSUPPORTED, CORRUPT_STREAM, STALLED
     */
    public static MediaInfo probe(Path input, RawInputHint hintOrNull) {
        checkReadableFile(input);
        boolean raw = RawInputHint.isRawBitstreamPath(input);
        if (raw && hintOrNull == null) {
            throw new EngineError(ErrorCode.RAW_STREAM_NEEDS_GEOMETRY,
                    input + " is a raw " + RawInputHint.rawCodecOf(input).ffmpegName()
                            + " bitstream: give its codec, width and height");
        }
        RawInputHint hint = raw ? hintOrNull : null;
        try (InputDemuxer in = InputDemuxer.open(input, hint)) {
            int videoIndex = findVideoStream(in, input);
            VideoStreamInfo video = describeVideo(in, videoIndex, hint, input);
            List<StreamSummary> others = new ArrayList<>();
            for (int i = 0; i < in.streamCount(); i++) {
                if (i != videoIndex) {
                    others.add(summarize(in.stream(i), i));
                }
            }
            if (in.formatName().startsWith("matroska")) {
                MatroskaLength.checkComplete(input);
            }
            return new MediaInfo(input, in.formatName(), videoIndex, video, others, hint);
        }
    }

    private static void checkReadableFile(Path input) {
        if (!Files.exists(input)) {
            throw new EngineError(ErrorCode.INPUT_NOT_FOUND, "no such file: " + input);
        }
        if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
            throw new EngineError(ErrorCode.INPUT_UNREADABLE, "not a readable file: " + input);
        }
        try {
            if (Files.size(input) == 0) {
                throw new EngineError(ErrorCode.INPUT_UNREADABLE, "the file is empty: " + input);
            }
        } catch (IOException e) {
            throw new EngineError(ErrorCode.INPUT_UNREADABLE, "cannot read " + input + ": " + e.getMessage(), e);
        }
    }

    /** The first real video stream; cover art (an attached picture) is a video stream too, but not the video. */
    private static int findVideoStream(InputDemuxer in, Path input) {
        for (int i = 0; i < in.streamCount(); i++) {
            AVStream st = in.stream(i);
            if (st.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO
                    && (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
                return i;
            }
        }
        throw new EngineError(ErrorCode.NO_VIDEO_STREAM, input + " (" + in.formatName() + ") has no video stream");
    }

    private static VideoStreamInfo describeVideo(InputDemuxer in, int index, RawInputHint hint, Path input) {
        AVStream st = in.stream(index);
        AVCodecParameters par = st.codecpar();
        VideoCodec codec;
        if (par.codec_id() == AV_CODEC_ID_H264) {
            codec = VideoCodec.H264;
        } else if (par.codec_id() == AV_CODEC_ID_HEVC) {
            codec = VideoCodec.HEVC;
        } else {
            throw new EngineError(ErrorCode.UNSUPPORTED_CODEC,
                    input + ": video codec " + codecName(par.codec_id()) + " is not H.264 or HEVC");
        }
        int width = par.width();
        int height = par.height();
        if ((width <= 0 || height <= 0) && hint != null) {
            width = hint.width();
            height = hint.height();
        }
        if (width <= 0 || height <= 0) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, input + ": no frame size found in the " + codec.ffmpegName()
                    + " stream headers");
        }
        if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
            throw new EngineError(ErrorCode.FRAME_SIZE_UNSUPPORTED, input + ": " + width + "x" + height
                    + " is beyond H.264/HEVC level 6.2 (" + MAX_PIXELS + " pixels, " + MAX_SIDE + " a side)");
        }
        if (par.format() == AV_PIX_FMT_NONE) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, input + ": the pixel format could not be determined; "
                    + "no decodable " + codec.ffmpegName() + " parameter sets were found");
        }
        PixelFormat layout = AvPixelFormats.pipelineFormatOf(par.format());
        if (layout == null) {
            throw new EngineError(ErrorCode.UNSUPPORTED_PIXEL_FORMAT,
                    input + ": pixel format " + AvPixelFormats.name(par.format()) + " is not 4:2:0 8-bit or 10-bit");
        }
        ColorSpec color = ColorTags.read(par, height);
        Rational timeBase = rational(st.time_base());
        Rational frameRate = rational(st.avg_frame_rate());
        if (!frameRate.isValid()) {
            frameRate = rational(st.r_frame_rate());
        }
        long frameCount = st.nb_frames() > 0 ? st.nb_frames() : -1;
        double duration = durationSeconds(st);
        long containerDuration = in.context().duration();
        if (duration < 0 && containerDuration != AV_NOPTS_VALUE && containerDuration > 0) {
            duration = containerDuration / (double) AV_TIME_BASE;
        }
        return new VideoStreamInfo(codec, width, height, layout, color, timeBase, frameRate, frameCount, duration,
                DisplayMatrixSideData.read(par));
    }

    private static StreamSummary summarize(AVStream st, int index) {
        AVCodecParameters par = st.codecpar();
        BytePointer type = av_get_media_type_string(par.codec_type());
        return new StreamSummary(index, type == null ? "unknown" : type.getString(), codecName(par.codec_id()),
                durationSeconds(st));
    }

    /**
     * The stream's duration, or -1 when the container does not state one. Matroska keeps per-stream
     * durations only as a "DURATION" tag (HH:MM:SS.fraction), which FFmpeg's muxer writes.
     */
    static double durationSeconds(AVStream st) {
        if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0 && st.time_base().den() != 0) {
            return st.duration() * (double) st.time_base().num() / st.time_base().den();
        }
        AVDictionaryEntry tag = av_dict_get(st.metadata(), "DURATION", null, 0);
        return tag == null ? -1 : parseClock(tag.value().getString());
    }

    /** "00:00:02.005000000" -> 2.005; -1 when it is not such a clock. */
    static double parseClock(String clock) {
        String[] parts = clock.trim().split(":");
        if (parts.length != 3) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[0]) * 3600.0 + Integer.parseInt(parts[1]) * 60.0
                    + Double.parseDouble(parts[2]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String codecName(int codecId) {
        BytePointer name = avcodec_get_name(codecId);
        return name == null ? "codec#" + codecId : name.getString();
    }

    static Rational rational(AVRational q) {
        return new Rational(q.num(), q.den());
    }
}
