package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CONFIG_PIX_FORMAT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_NORMAL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_supported_config;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.avformat_query_codec;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.memory.FrameBuffer;

/**
 * The encode-and-mux end: software-encodes NV12 / P010 frames with libx264 / libx265, copies the
 * source's audio and subtitles alongside, and writes a temp file that the caller renames into
 * place after {@link #finish()}. Frame timestamps pass through in the source's time base, so
 * variable-frame-rate video stays VFR and in sync with the copied audio. Not thread-safe.
 */
public final class VideoWriter implements AutoCloseable {
    /** Output extensions and the muxer each means; the temp file's own name says nothing. */
    private static final Map<String, String> MUXER_BY_EXTENSION = Map.ofEntries(
            Map.entry("mp4", "mp4"), Map.entry("m4v", "mp4"), Map.entry("mkv", "matroska"),
            Map.entry("mov", "mov"), Map.entry("avi", "avi"), Map.entry("webm", "webm"),
            Map.entry("h264", "h264"), Map.entry("264", "h264"), Map.entry("avc", "h264"),
            Map.entry("h265", "hevc"), Map.entry("265", "hevc"), Map.entry("hevc", "hevc"));

    private final Path output;
    private final String formatName;
    private final EncoderSettings settings;
    private final AVRational sourceTimeBase;
    private final Duration stallDeadline;
    private OutputMuxer muxer;
    private IoDeadline deadline;
    private AVCodecContext encoder;
    private AVStream videoStream;
    private EncoderInputFrame input;
    private AVPacket packet;
    private long lastPts = Long.MIN_VALUE;
    private long lastEncoderPts = Long.MIN_VALUE;
    private long framesWritten;
    private boolean finished;
    private boolean closed;

    private VideoWriter(Path output, String formatName, EncoderSettings settings, Duration stallDeadline) {
        this.stallDeadline = stallDeadline;
        this.output = output;
        this.formatName = formatName;
        this.settings = settings;
        this.sourceTimeBase = av_make_q(settings.timeBase().num(), settings.timeBase().den());
    }

    /**
     * Opens the encoder and muxer and writes the container header to {@code tempOutput}.
     *
     * @param containerFormatName a muxer name, e.g. from {@link #containerFormatFor(Path)}
     * @param sourceForStreamCopy the input whose audio and subtitle streams to copy, or null for none
     * @throws EngineError ENCODER_UNAVAILABLE, OUTPUT_WRITE_FAILED, OUTPUT_DISK_FULL, CORRUPT_STREAM (copy source)
     */
    public static VideoWriter open(Path tempOutput, String containerFormatName, EncoderSettings settings,
                                   MediaInfo sourceForStreamCopy) {
        return open(tempOutput, containerFormatName, settings, sourceForStreamCopy, IoDeadline.DEFAULT);
    }

    /**
     * Like {@link #open(Path, String, EncoderSettings, MediaInfo)}, with the watchdog's deadline for
     * opening and for each {@link #write}: past it the next write of the output fails with STALLED.
     */
    public static VideoWriter open(Path tempOutput, String containerFormatName, EncoderSettings settings,
                                   MediaInfo sourceForStreamCopy, Duration stallDeadline) {
        Objects.requireNonNull(tempOutput, "tempOutput");
        Objects.requireNonNull(containerFormatName, "containerFormatName");
        Objects.requireNonNull(settings, "settings");
        FfmpegLog.quietByDefault();
        AVCodec codec = findEncoder(settings.codec(), settings.pixelFormat());
        checkOutputDirectory(tempOutput);
        VideoWriter w = new VideoWriter(tempOutput, containerFormatName, settings, stallDeadline);
        try {
            w.start(codec, sourceForStreamCopy);
            return w;
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    /** The muxer for a final output path's extension. */
    public static String containerFormatFor(Path finalOutput) {
        String name = finalOutput.getFileName() == null ? "" : finalOutput.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String muxer = dot < 0 ? null : MUXER_BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (muxer == null) {
            throw new EngineError(ErrorCode.ENCODER_UNAVAILABLE, "no output container for " + finalOutput
                    + "; use .mp4, .mkv, .mov, .avi, .webm, .h264 or .hevc");
        }
        return muxer;
    }

    /** Throws ENCODER_UNAVAILABLE unless this FFmpeg build can encode {@code codec} at {@code format}'s bit depth. */
    public static void checkEncoderAvailable(VideoCodec codec, PixelFormat format) {
        findEncoder(codec, format);
    }

    private static AVCodec findEncoder(VideoCodec codec, PixelFormat format) {
        FfmpegLog.quietByDefault();
        AVCodec enc = avcodec_find_encoder_by_name(codec.softwareEncoder());
        if (enc == null) {
            throw new EngineError(ErrorCode.ENCODER_UNAVAILABLE,
                    "this FFmpeg build has no " + codec.softwareEncoder() + " encoder");
        }
        int wanted = AvPixelFormats.encoderInputOf(codec, format);
        try (PointerPointer<?> list = new PointerPointer<>(1); IntPointer count = new IntPointer(1)) {
            int ret = avcodec_get_supported_config(null, enc, AV_CODEC_CONFIG_PIX_FORMAT, 0, list, count);
            FfmpegErrors.check(ret, ErrorCode.ENCODER_UNAVAILABLE, "querying " + codec.softwareEncoder() + " formats");
            Pointer formats = list.get(0);
            if (formats == null || formats.isNull()) {
                return enc; // no list: any format
            }
            IntPointer fmts = new IntPointer(formats);
            for (int i = 0; i < count.get(); i++) {
                if (fmts.get(i) == wanted) {
                    return enc;
                }
            }
        }
        throw new EngineError(ErrorCode.ENCODER_UNAVAILABLE, codec.softwareEncoder() + " in this FFmpeg build cannot "
                + "encode " + AvPixelFormats.name(wanted) + " (" + format.bitDepth() + "-bit)");
    }

    /** OUTPUT_WRITE_FAILED unless the directory {@code output} goes into exists, is one and is writable. */
    public static void checkOutputDirectory(Path output) {
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.exists(dir)) {
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "output directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "output directory " + dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "output directory " + dir + " is not writable");
        }
    }

    private void start(AVCodec codec, MediaInfo copySource) {
        muxer = OutputMuxer.create(output, formatName, stallDeadline);
        deadline = muxer.deadline();
        deadline.arm("opening " + output);
        AVOutputFormat format = muxer.format();
        if (avformat_query_codec(format, codec.id(), FF_COMPLIANCE_NORMAL) == 0) {
            throw new EngineError(ErrorCode.ENCODER_UNAVAILABLE,
                    "the " + formatName + " container cannot hold " + settings.codec().ffmpegName() + " video");
        }
        openEncoder(codec, format);

        videoStream = muxer.addVideo();
        FfmpegErrors.check(avcodec_parameters_from_context(videoStream.codecpar(), encoder), ErrorCode.INTERNAL,
                "copying encoder parameters to the video stream");
        videoStream.time_base(encoder.time_base());
        videoStream.avg_frame_rate(encoder.framerate());
        int[] displayMatrix = settings.displayMatrix();
        if (displayMatrix != null) {
            DisplayMatrixSideData.write(videoStream.codecpar(), displayMatrix);
        }
        muxer.copyStreamsFrom(copySource);
        muxer.open();
        packet = av_packet_alloc();
        if (packet == null) {
            throw new EngineError(ErrorCode.INTERNAL, "out of memory allocating a packet");
        }
        deadline.disarm();
    }

    private void openEncoder(AVCodec codec, AVOutputFormat muxer) {
        encoder = avcodec_alloc_context3(codec);
        if (encoder == null) {
            throw new EngineError(ErrorCode.INTERNAL, "avcodec_alloc_context3 failed");
        }
        OpenHandles.CODECS.incrementAndGet();
        int pixFmt = AvPixelFormats.encoderInputOf(settings.codec(), settings.pixelFormat());
        Rational fps = settings.frameRate();
        encoder.width(settings.width()).height(settings.height()).pix_fmt(pixFmt);
        encoder.time_base(encoderTimeBase());
        encoder.framerate(av_make_q(fps.num(), fps.den()));
        encoder.thread_count(settings.threads());
        if (settings.keyframeInterval() > 0) {
            encoder.gop_size(settings.keyframeInterval());
        }
        ColorTags.apply(settings.color(), encoder);
        if ((muxer.flags() & AVFMT_GLOBALHEADER) != 0) {
            encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        AVDictionary options = new AVDictionary(null);
        try {
            setOption(options, "preset", settings.preset());
            setOption(options, "crf", Integer.toString(settings.crf()));
            List<String> params = new ArrayList<>();
            if (settings.codec() == VideoCodec.H264 && X264Cpu.HAS_AVX512) {
                params.add(X264Cpu.DETERMINISTIC_ASM);
            }
            if (settings.codec() == VideoCodec.HEVC) {
                params.add("log-level=error"); // x265 prints to stderr itself
            }
            if (settings.gop() != EncoderSettings.Gop.ENCODER_DEFAULT) {
                params.add("open-gop=" + (settings.gop() == EncoderSettings.Gop.OPEN ? 1 : 0));
            }
            if (!params.isEmpty()) {
                setOption(options, settings.codec() == VideoCodec.HEVC ? "x265-params" : "x264-params",
                        String.join(":", params));
            }
            FfmpegErrors.check(avcodec_open2(encoder, codec, options), ErrorCode.ENCODER_UNAVAILABLE,
                    "cannot open " + settings.codec().softwareEncoder() + " with " + settings);
        } finally {
            av_dict_free(options);
        }
        input = new EncoderInputFrame(settings.width(), settings.height(), settings.pixelFormat(), pixFmt);
    }

    private static void setOption(AVDictionary options, String key, String value) {
        FfmpegErrors.check(av_dict_set(options, key, value, 0), ErrorCode.INTERNAL, "setting option " + key);
    }

    /**
     * The source's time base, so pts pass through; except AVI, whose timestamps count frames: a
     * fine time base there would mean thousands of empty frames, so it gets 1/fps.
     */
    private AVRational encoderTimeBase() {
        if (formatName.equals("avi")) {
            return av_make_q(settings.frameRate().den(), settings.frameRate().num());
        }
        return av_make_q(settings.timeBase().num(), settings.timeBase().den());
    }

    /**
     * Encodes one frame (the settings' size, in their NV12 / P010 layout) shown at {@code pts}, in
     * the settings' time base. Timestamps must increase. The buffer is only read; the caller keeps it.
     *
     * @throws EngineError ENCODE_FAILED, OUTPUT_WRITE_FAILED, OUTPUT_DISK_FULL, STALLED, CORRUPT_STREAM (copy source)
     */
    public void write(FrameBuffer frame, long pts) {
        checkWritable();
        deadline.arm("encoding frame " + framesWritten + " to " + output);
        try {
            encode(frame, pts);
        } finally {
            deadline.disarm();
        }
    }

    private void encode(FrameBuffer frame, long pts) {
        if (pts <= lastPts) {
            throw new EngineError(ErrorCode.ENCODE_FAILED, "frame timestamps must increase: pts " + pts
                    + " after " + lastPts);
        }
        long encoderPts = av_rescale_q(pts, sourceTimeBase, encoder.time_base());
        if (encoderPts <= lastEncoderPts) {
            encoderPts = lastEncoderPts + 1; // two VFR frames in one AVI frame slot: keep them both
        }
        AVFrame f = input.fill(frame, encoderPts);
        FfmpegErrors.check(avcodec_send_frame(encoder, f), ErrorCode.ENCODE_FAILED,
                settings.codec().softwareEncoder() + " rejected frame " + framesWritten + " (pts " + pts + ")");
        lastPts = pts;
        lastEncoderPts = encoderPts;
        framesWritten++;
        drainEncoder();
    }

    /** Frames accepted by {@link #write} so far. */
    public long framesWritten() {
        return framesWritten;
    }

    /** Flushes the encoder, copies the rest of the audio and subtitles, writes the trailer and closes the file. */
    public void finish() {
        checkWritable();
        deadline.arm("flushing the encoder into " + output);
        try {
            FfmpegErrors.check(avcodec_send_frame(encoder, null), ErrorCode.ENCODE_FAILED, "flushing the encoder");
            drainEncoder();
            muxer.finish();
        } finally {
            deadline.disarm();
        }
        finished = true;
    }

    private void drainEncoder() {
        while (true) {
            int ret = avcodec_receive_packet(encoder, packet);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                return;
            }
            FfmpegErrors.check(ret, ErrorCode.ENCODE_FAILED, settings.codec().softwareEncoder() + " failed");
            packet.stream_index(videoStream.index());
            av_packet_rescale_ts(packet, encoder.time_base(), videoStream.time_base());
            muxer.writeVideo(packet);
        }
    }

    private void checkWritable() {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
        if (finished) {
            throw new IllegalStateException("writer is finished");
        }
    }

    /**
     * Frees everything. Without a successful {@link #finish()} the temp file is incomplete; deleting
     * it is the caller's job (it owns the name).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (input != null) {
                input.close();
            }
            if (packet != null) {
                av_packet_free(packet);
            }
            if (encoder != null) {
                avcodec_free_context(encoder);
                OpenHandles.CODECS.decrementAndGet();
            }
        } finally {
            input = null;
            packet = null;
            encoder = null;
            if (muxer != null) {
                muxer.close();
                muxer = null;
            }
        }
    }
}
