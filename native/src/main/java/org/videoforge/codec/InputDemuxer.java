package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOENT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.PointerPointer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * One opened input: the AVFormatContext and its stream info. The probe, the decoder and the
 * writer's stream copy each open their own, because a demuxer has one read position. Opening and
 * each packet read run under an {@link IoDeadline}.
 */
final class InputDemuxer implements AutoCloseable {
    private final IoDeadline deadline;
    private AVFormatContext context;

    private InputDemuxer(AVFormatContext context, IoDeadline deadline) {
        this.context = context;
        this.deadline = deadline;
    }

    static InputDemuxer open(Path path, RawInputHint rawHint) {
        return open(path, rawHint, IoDeadline.DEFAULT);
    }

    /**
     * Opens {@code path}; a raw bitstream path (see {@link RawInputHint#isRawBitstreamPath}) is
     * opened with the hint's codec's raw demuxer, since such files carry no container to probe.
     */
    static InputDemuxer open(Path path, RawInputHint rawHint, Duration stallDeadline) {
        FfmpegLog.quietByDefault();
        if (!Files.isRegularFile(path)) {
            // A FIFO, socket or device can block open(2) and read(2) inside FFmpeg, where no
            // watchdog can reach; such inputs are refused, also when a file was swapped after the probe.
            throw new EngineError(Files.exists(path) ? ErrorCode.INPUT_UNREADABLE : ErrorCode.INPUT_NOT_FOUND,
                    path + " is not a regular file");
        }
        AVInputFormat forced = null;
        if (rawHint != null && RawInputHint.isRawBitstreamPath(path)) {
            forced = av_find_input_format(rawHint.codec().ffmpegName());
            if (forced == null) {
                throw new EngineError(ErrorCode.INPUT_UNREADABLE,
                        "this FFmpeg build has no " + rawHint.codec().ffmpegName() + " demuxer for " + path);
            }
        }
        AVFormatContext ctx = avformat_alloc_context();
        if (ctx == null) {
            throw new EngineError(ErrorCode.INTERNAL, "out of memory allocating a demuxer for " + path);
        }
        IoDeadline deadline = new IoDeadline(stallDeadline);
        deadline.install(ctx);
        deadline.arm("opening " + path);
        int ret = avformat_open_input(ctx, path.toString(), forced, (AVDictionary) null);
        if (ret < 0) {
            // On failure avformat_open_input has freed the context itself.
            deadline.close();
            if (deadline.expired()) {
                throw deadline.stalled();
            }
            ErrorCode code = ret == AVERROR_ENOENT() ? ErrorCode.INPUT_NOT_FOUND : ErrorCode.INPUT_UNREADABLE;
            throw FfmpegErrors.error(code, "cannot open " + path + " as media", ret);
        }
        OpenHandles.DEMUXERS.incrementAndGet();
        InputDemuxer demuxer = new InputDemuxer(ctx, deadline);
        try {
            demuxer.check(avformat_find_stream_info(ctx, (PointerPointer<?>) null),
                    ErrorCode.INPUT_UNREADABLE, "cannot read stream information of " + path);
            deadline.disarm();
            return demuxer;
        } catch (RuntimeException e) {
            demuxer.close();
            throw e;
        }
    }

    /**
     * av_read_frame; returns FFmpeg's code (EOF and errors included) except after the operation
     * armed on {@link #deadline()} overran it: then the interrupt cut the read short, which FFmpeg
     * reports as an error, an end of file or a packet flagged corrupt, and this throws STALLED.
     */
    int readPacket(AVPacket packet) {
        int ret = av_read_frame(context(), packet);
        boolean cutShort = ret < 0 || (packet.flags() & AV_PKT_FLAG_CORRUPT) != 0;
        if (cutShort && deadline.expired()) {
            if (ret >= 0) {
                av_packet_unref(packet);
            }
            throw deadline.stalled();
        }
        return ret;
    }

    /** Like {@link FfmpegErrors#check}, but a failure after the deadline expired is STALLED. */
    int check(int ret, ErrorCode code, String what) {
        if (ret < 0 && deadline.expired()) {
            throw deadline.stalled();
        }
        return FfmpegErrors.check(ret, code, what);
    }

    /** The watchdog of this input: callers arm it around one unit of work (e.g. decoding one frame). */
    IoDeadline deadline() {
        return deadline;
    }

    AVFormatContext context() {
        if (context == null) {
            throw new IllegalStateException("input is closed");
        }
        return context;
    }

    int streamCount() {
        return context().nb_streams();
    }

    AVStream stream(int index) {
        return context().streams(index);
    }

    String formatName() {
        return context().iformat().name().getString();
    }

    @Override
    public void close() {
        if (context != null) {
            avformat_close_input(context);
            context = null;
            deadline.close();
            OpenHandles.DEMUXERS.decrementAndGet();
        }
    }
}
