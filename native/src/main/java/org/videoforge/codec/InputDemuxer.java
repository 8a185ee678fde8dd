package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOENT;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.PointerPointer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * One opened input: the AVFormatContext and its stream info. The probe, the decoder and the
 * writer's stream copy each open their own, because a demuxer has one read position.
 */
final class InputDemuxer implements AutoCloseable {
    private AVFormatContext context;

    private InputDemuxer(AVFormatContext context) {
        this.context = context;
    }

    /**
     * Opens {@code path}; a raw bitstream path (see {@link RawInputHint#isRawBitstreamPath}) is
     * opened with the hint's codec's raw demuxer, since such files carry no container to probe.
     */
    static InputDemuxer open(Path path, RawInputHint rawHint) {
        FfmpegLog.quietByDefault();
        AVInputFormat forced = null;
        if (rawHint != null && RawInputHint.isRawBitstreamPath(path)) {
            forced = av_find_input_format(rawHint.codec().ffmpegName());
            if (forced == null) {
                throw new EngineError(ErrorCode.INPUT_UNREADABLE,
                        "this FFmpeg build has no " + rawHint.codec().ffmpegName() + " demuxer for " + path);
            }
        }
        AVFormatContext ctx = new AVFormatContext(null);
        int ret = avformat_open_input(ctx, path.toString(), forced, (AVDictionary) null);
        if (ret < 0) {
            // On failure avformat_open_input has freed the context itself.
            ErrorCode code = ret == AVERROR_ENOENT() ? ErrorCode.INPUT_NOT_FOUND : ErrorCode.INPUT_UNREADABLE;
            throw FfmpegErrors.error(code, "cannot open " + path + " as media", ret);
        }
        InputDemuxer demuxer = new InputDemuxer(ctx);
        try {
            FfmpegErrors.check(avformat_find_stream_info(ctx, (PointerPointer<?>) null),
                    ErrorCode.INPUT_UNREADABLE, "cannot read stream information of " + path);
            return demuxer;
        } catch (RuntimeException e) {
            demuxer.close();
            throw e;
        }
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
        }
    }
}
