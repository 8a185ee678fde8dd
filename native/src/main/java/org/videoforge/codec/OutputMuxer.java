package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_close;
import static org.bytedeco.ffmpeg.global.avformat.avio_open2;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.nio.file.Path;
import java.time.Duration;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * The one owner of an output container (as javacv's FFmpegFrameRecorder owns its context): the
 * muxer, its file, its watchdog, the video stream and the source's audio and subtitles copied in
 * step with the video. {@link VideoWriter} feeds it the packets it encodes; {@link SegmentMuxer}
 * the packets it copies from encoded segments. Opening, writing each packet and the end run under
 * the watchdog ({@link IoDeadline}: a stalled write is STALLED), a full disk is OUTPUT_DISK_FULL,
 * and the context is counted in {@link OpenHandles}. Not thread-safe.
 */
final class OutputMuxer implements AutoCloseable {
    private final Path output;
    private final String formatName;
    private final IoDeadline deadline;
    private AVFormatContext ctx;
    private boolean fileOpen;
    private AVStream video;
    private StreamCopier copier;

    private OutputMuxer(Path output, String formatName, Duration stallDeadline) {
        this.output = output;
        this.formatName = formatName;
        this.deadline = new IoDeadline(stallDeadline);
    }

    /**
     * A muxer for the container {@code formatName}, writing {@code output} once {@link #open}ed.
     *
     * @throws EngineError ENCODER_UNAVAILABLE when this FFmpeg build has no such muxer
     */
    static OutputMuxer create(Path output, String formatName, Duration stallDeadline) {
        OutputMuxer m = new OutputMuxer(output, formatName, stallDeadline);
        AVFormatContext c = new AVFormatContext(null);
        try {
            FfmpegErrors.check(avformat_alloc_output_context2(c, null, formatName, output.toString()),
                    ErrorCode.ENCODER_UNAVAILABLE, "no muxer named " + formatName);
        } catch (RuntimeException e) {
            m.deadline.close();
            throw e;
        }
        m.ctx = c;
        OpenHandles.MUXERS.incrementAndGet();
        m.deadline.install(c);
        return m;
    }

    AVOutputFormat format() {
        return ctx.oformat();
    }

    /** The watchdog: callers arm it around each unit of work that writes (a frame, a packet). */
    IoDeadline deadline() {
        return deadline;
    }

    /** Same input, same bytes: no version strings or wall-clock times in the container. */
    void bitExact() {
        ctx.flags(ctx.flags() | AVFMT_FLAG_BITEXACT);
    }

    /** libavformat's AVFMT_FLAG_BITEXACT, which the Java bindings do not carry. */
    private static final int AVFMT_FLAG_BITEXACT = 0x0400;

    /** Adds the (one) video stream, whose parameters the caller fills in before {@link #open}. */
    AVStream addVideo() {
        video = avformat_new_stream(ctx, null);
        if (video == null) {
            throw new EngineError(ErrorCode.INTERNAL, "out of memory adding the video stream");
        }
        return video;
    }

    /** Copies {@code source}'s audio and subtitle streams in step with the video (null: none). */
    void copyStreamsFrom(MediaInfo source) {
        if (source == null) {
            return;
        }
        copier = StreamCopier.open(source, ctx);
        if (copier.copiedStreams() == 0) {
            copier.close(); // nothing to copy: do not keep a second demuxer open
            copier = null;
        }
    }

    /** Creates the file and writes the header (MP4 / MOV with the index at the front). */
    void open() {
        if ((ctx.oformat().flags() & AVFMT_NOFILE) == 0) {
            AVIOContext pb = new AVIOContext(null);
            // avio_open2 with the context's interrupt callback: plain avio_open gives the file none,
            // and the watchdog would never be asked while writing.
            FfmpegErrors.checkWrite(avio_open2(pb, output.toString(), AVIO_FLAG_WRITE, ctx.interrupt_callback(),
                    (AVDictionary) null), "cannot create " + output);
            ctx.pb(pb);
            fileOpen = true;
        }
        AVDictionary options = new AVDictionary(null);
        try {
            if (formatName.equals("mp4") || formatName.equals("mov")) {
                // Index at the front: playable while downloading; costs one rewrite of the file at the end.
                FfmpegErrors.check(av_dict_set(options, "movflags", "+faststart", 0), ErrorCode.INTERNAL, "movflags");
            }
            FfmpegErrors.checkWrite(avformat_write_header(ctx, options),
                    "writing the " + formatName + " header to " + output);
        } finally {
            av_dict_free(options);
        }
    }

    /**
     * Writes one video packet (its stream index and timestamps in the video stream's time base set
     * by the caller) and the audio and subtitles up to its time. The muxer takes the packet's
     * reference and leaves it blank, also on failure.
     */
    void writeVideo(AVPacket packet) {
        long t = packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
        double seconds = t * (double) video.time_base().num() / video.time_base().den();
        FfmpegErrors.checkWrite(av_interleaved_write_frame(ctx, packet), "writing video to " + output);
        if (copier != null) {
            copier.copyUpTo(seconds);
        }
    }

    /**
     * Copies the rest of the audio and subtitles (under the watchdog's current arming), then
     * writes the trailer and closes the file. The trailer runs unguarded: a faststart rewrite takes
     * time in proportion to the file, not to one frame.
     */
    void finish() {
        if (copier != null) {
            copier.copyRest();
        }
        deadline.disarm();
        FfmpegErrors.checkWrite(av_write_trailer(ctx), "finishing " + output);
        if (fileOpen) {
            fileOpen = false;
            AVIOContext pb = ctx.pb();
            ctx.pb(null);
            FfmpegErrors.checkWrite(avio_close(pb), "closing " + output);
        }
    }

    /** Frees everything; an unfinished file is left for its owner to delete. Safe to call twice. */
    @Override
    public void close() {
        try {
            if (copier != null) {
                copier.close();
            }
        } finally {
            copier = null;
            if (ctx != null) {
                if (fileOpen) {
                    fileOpen = false;
                    avio_close(ctx.pb()); // error ignored: the file is being abandoned anyway
                    ctx.pb(null);
                }
                avformat_free_context(ctx);
                ctx = null;
                OpenHandles.MUXERS.decrementAndGet();
            }
            deadline.close();
        }
    }
}
