package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_EXPLODE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISCARD;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;

/**
 * Software-decodes the probed video stream into pooled NV12 / P010 frames, in presentation order.
 * Damage is an error, never a quietly shorter video: demuxer read errors, packets (of the video,
 * audio or subtitles) shorter than the container declares, decoder errors (the decoder is told to
 * fail rather than conceal), frames the decoder marks corrupt, and ending with fewer frames than
 * an MP4/MOV index declares all raise CORRUPT_STREAM. Not thread-safe: one thread calls
 * {@link #next()}.
 *
 * <p>Decoding is single-threaded on purpose. With FFmpeg 8.0's H.264 decoder, frame threading
 * reports concealed damage on the frame only sometimes (it depends on thread timing), and slice
 * threading with two threads lost it altogether in our tests; one thread reports the same damage
 * every time. Decoding is cheap next to super-resolution inference, and runs in its own task.
 */
public final class VideoDecoder implements FrameDecoder {
    /**
     * Demuxers whose nb_frames is the exact number of video packets in the index (MP4's sample
     * table). AVI's counts frame slots, including the empty "dropped frame" entries of
     * variable-rate AVI that are never read as packets, so a short read proves nothing there.
     */
    private static final Set<String> EXACT_FRAME_COUNT_DEMUXERS = Set.of("mov,mp4,m4a,3gp,3g2,mj2");
    /** libavutil's AV_FRAME_FLAG_CORRUPT, which the Java bindings do not carry. */
    private static final int FRAME_FLAG_CORRUPT = 1;

    private final MediaInfo info;
    private final BucketedBufferPool pool;
    private final int streamIndex;
    private final PixelFormat layout;
    private final long frameTicks;
    private final Duration stallDeadline;
    private InputDemuxer input;
    private AVCodecContext codec;
    private AVPacket packet;
    private AVFrame frame;
    private SemiPlanarPacker packer;

    private long framesDecoded;
    private long picturesDecoded;
    private long packetsRead;
    private long packetsWithoutFrame;
    private long lastPts = AV_NOPTS_VALUE;
    private boolean flushing;
    private boolean ended;
    private EngineError failure;
    private boolean closed;
    private boolean seeked;
    /** Video packets shown before this pts are not decoded: see {@link #seekBefore}. */
    private long skipBefore = Long.MIN_VALUE;
    /** Keyframes fed since the last seek; errors are fatal again from the second one on (see seekBefore). */
    private int keyframesSinceSeek = 2;
    private int strictErrors;

    private VideoDecoder(MediaInfo info, BucketedBufferPool pool, Duration stallDeadline) {
        this.info = info;
        this.stallDeadline = stallDeadline;
        this.pool = pool;
        this.streamIndex = info.videoStreamIndex();
        this.layout = info.video().pixelFormat();
        this.frameTicks = ticksPerFrame(info.video());
    }

    /** Opens the input {@code info} describes (see {@link MediaProbe}); frames are leased from {@code pool}. */
    public static VideoDecoder open(MediaInfo info, BucketedBufferPool pool) {
        return open(info, pool, IoDeadline.DEFAULT);
    }

    /**
     * Like {@link #open(MediaInfo, BucketedBufferPool)}, with the watchdog's deadline for opening
     * the input and for each {@link #next()}: past it the next read of the input fails with STALLED.
     */
    public static VideoDecoder open(MediaInfo info, BucketedBufferPool pool, Duration stallDeadline) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(stallDeadline, "stallDeadline");
        VideoDecoder d = new VideoDecoder(info, pool, stallDeadline);
        try {
            d.start();
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void start() {
        input = InputDemuxer.open(info.path(), info.rawHint(), stallDeadline);
        if (streamIndex >= input.streamCount()
                || input.stream(streamIndex).codecpar().codec_type() != AVMEDIA_TYPE_VIDEO) {
            throw new EngineError(ErrorCode.INPUT_UNREADABLE,
                    info.path() + " changed since it was probed: stream " + streamIndex + " is not video");
        }
        // Audio and subtitle packets are read too, though not decoded: the writer copies them, so a
        // truncation or damage that only hits them must fail here, before hours of upscaling.
        for (int i = 0; i < input.streamCount(); i++) {
            int type = input.stream(i).codecpar().codec_type();
            if (i != streamIndex && type != AVMEDIA_TYPE_AUDIO && type != AVMEDIA_TYPE_SUBTITLE) {
                input.stream(i).discard(AVDISCARD_ALL);
            }
        }
        AVStream st = input.stream(streamIndex);
        AVCodec decoder = avcodec_find_decoder(st.codecpar().codec_id());
        if (decoder == null) {
            throw new EngineError(ErrorCode.UNSUPPORTED_CODEC,
                    "this FFmpeg build has no decoder for " + MediaProbe.codecName(st.codecpar().codec_id()));
        }
        codec = avcodec_alloc_context3(decoder);
        if (codec == null) {
            throw new EngineError(ErrorCode.INTERNAL, "avcodec_alloc_context3 failed");
        }
        OpenHandles.CODECS.incrementAndGet();
        FfmpegErrors.check(avcodec_parameters_to_context(codec, st.codecpar()), ErrorCode.CORRUPT_STREAM,
                "cannot configure the decoder from the stream parameters of " + info.path());
        codec.pkt_timebase(st.time_base());
        codec.thread_count(1); // see the class comment: threads make damage detection unreliable
        // Fail on bitstream errors instead of concealing them: damaged input must not pass as video.
        strictErrors = codec.err_recognition() | AV_EF_EXPLODE;
        codec.err_recognition(strictErrors);
        FfmpegErrors.check(avcodec_open2(codec, decoder, (AVDictionary) null), ErrorCode.CORRUPT_STREAM,
                "cannot open the " + info.video().codec().ffmpegName() + " decoder for " + info.path());
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        if (packet == null || frame == null) {
            throw new EngineError(ErrorCode.INTERNAL, "out of memory allocating a packet or frame");
        }
    }

    /**
     * The next frame in presentation order, or null at the end of the stream.
     *
     * @throws EngineError CORRUPT_STREAM (and stays failed) when the data is damaged or truncated
     */
    public DecodedFrame next() {
        if (closed) {
            throw new IllegalStateException("decoder is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("decoder failed earlier: " + failure.oneLine(), failure);
        }
        if (ended) {
            return null;
        }
        input.deadline().arm("decoding frame " + framesDecoded + " of " + info.path());
        try {
            while (true) {
                int ret = avcodec_receive_frame(codec, frame);
                if (ret >= 0) {
                    return takeFrame();
                }
                if (ret == AVERROR_EOF()) {
                    ended = true;
                    checkComplete();
                    return null;
                }
                if (ret != AVERROR_EAGAIN()) {
                    throw FfmpegErrors.error(ErrorCode.CORRUPT_STREAM,
                            info.path() + ": decoding failed after " + framesDecoded + " frames", ret);
                }
                if (flushing) {
                    throw new EngineError(ErrorCode.INTERNAL, "decoder asked for input while draining");
                }
                sendNextPacket();
            }
        } catch (EngineError e) {
            failure = e;
            throw e;
        } finally {
            input.deadline().disarm();
        }
    }

    /**
     * Seeks the demuxer to the keyframe at or before {@code pts} and empties the decoder. After a
     * seek the read is partial, so the end-of-stream frame count check no longer applies: a
     * segment's reader checks its own expected count instead.
     *
     * <p>Packets shown before {@code pts} are then skipped, not decoded. After an open-GOP keyframe
     * (an H.264 recovery-point I-frame, an HEVC CRA) come leading pictures that are shown before it
     * and reference the GOP before the seek point: they cannot be decoded here (with errors made
     * fatal, H.264's fail the whole segment), they belong to the previous segment, and no picture
     * shown from the keyframe on may reference them (H.264 recovery points and HEVC RASL rules).
     *
     * <p>Until the next keyframe, bitstream errors are not fatal: x264's open GOPs put pictures from
     * before the recovery point in the reference lists of the first P-frames after it (listed, not
     * used), which FFmpeg reports as missing references. Damage there is still caught where the
     * decoder conceals it (the frame's error flags) and by the segment's frame count.
     */
    @Override
    public boolean seekBefore(long pts) {
        if (closed || failure != null) {
            throw new IllegalStateException("decoder is closed or failed");
        }
        FfmpegErrors.check(av_seek_frame(input.context(), streamIndex, pts, AVSEEK_FLAG_BACKWARD),
                ErrorCode.CORRUPT_STREAM, info.path() + ": cannot seek to pts " + pts);
        avcodec_flush_buffers(codec);
        seeked = true;
        skipBefore = pts;
        keyframesSinceSeek = 0;
        codec.err_recognition(strictErrors & ~AV_EF_EXPLODE);
        flushing = false;
        ended = false;
        lastPts = AV_NOPTS_VALUE;
        return true;
    }

    /** Frames returned by {@link #next()} so far. */
    public long framesDecoded() {
        return framesDecoded;
    }

    /** Video packets sent to the decoder: one picture each (two fields of one frame count once). */
    @Override
    public long picturesDecoded() {
        return picturesDecoded;
    }

    public MediaInfo info() {
        return info;
    }

    private void sendNextPacket() {
        while (true) {
            int ret = input.readPacket(packet);
            if (ret == AVERROR_EOF()) {
                flushing = true;
                FfmpegErrors.check(avcodec_send_packet(codec, null), ErrorCode.CORRUPT_STREAM,
                        info.path() + ": flushing the decoder failed");
                return;
            }
            if (ret < 0) {
                throw FfmpegErrors.error(ErrorCode.CORRUPT_STREAM, info.path() + ": reading video packet "
                        + (packetsRead + 1) + " failed (truncated or damaged file)", ret);
            }
            try {
                boolean video = packet.stream_index() == streamIndex;
                if (video) {
                    packetsRead++;
                }
                if ((packet.flags() & AV_PKT_FLAG_CORRUPT) != 0) {
                    throw new EngineError(ErrorCode.CORRUPT_STREAM, info.path() + ": "
                            + (video ? "video packet " + packetsRead : "a packet of stream " + packet.stream_index())
                            + " is damaged or shorter than the container declares (" + packet.size()
                            + " bytes read): the file is truncated or damaged");
                }
                if (!video || (packet.pts() != AV_NOPTS_VALUE && packet.pts() < skipBefore)) {
                    continue;
                }
                if (packet.size() == 0) {
                    packetsWithoutFrame++; // AVI marks dropped frames so; an empty packet would mean "drain"
                    continue;
                }
                if ((packet.flags() & AV_PKT_FLAG_DISCARD) != 0) {
                    packetsWithoutFrame++; // outside an edit list: decoded as a reference, never output
                }
                if ((packet.flags() & AV_PKT_FLAG_KEY) != 0 && keyframesSinceSeek < 2 && ++keyframesSinceSeek == 2) {
                    codec.err_recognition(strictErrors); // the first GOP after the seek is behind us
                }
                FfmpegErrors.check(avcodec_send_packet(codec, packet), ErrorCode.CORRUPT_STREAM,
                        info.path() + ": the decoder rejected video packet " + packetsRead);
                picturesDecoded++;
                return;
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    private DecodedFrame takeFrame() {
        try {
            if ((frame.flags() & FRAME_FLAG_CORRUPT) != 0 || frame.decode_error_flags() != 0) {
                throw new EngineError(ErrorCode.CORRUPT_STREAM, info.path() + ": frame " + framesDecoded
                        + " was decoded with errors (flags " + frame.flags() + ", decode errors "
                        + frame.decode_error_flags() + ")");
            }
            VideoStreamInfo v = info.video();
            if (frame.width() != v.width() || frame.height() != v.height()) {
                throw new EngineError(ErrorCode.CORRUPT_STREAM, info.path() + ": frame " + framesDecoded + " is "
                        + frame.width() + "x" + frame.height() + ", not the stream's " + v.width() + "x"
                        + v.height() + " (size changes mid-stream are not supported)");
            }
            if (AvPixelFormats.pipelineFormatOf(frame.format()) != layout) {
                throw new EngineError(ErrorCode.UNSUPPORTED_PIXEL_FORMAT, info.path() + ": frame " + framesDecoded
                        + " decoded as " + AvPixelFormats.name(frame.format()) + ", expected " + layout);
            }
            if (packer == null || !packer.accepts(frame)) {
                if (packer != null) {
                    packer.close();
                    packer = null;
                }
                packer = new SemiPlanarPacker(frame.width(), frame.height(), frame.format(), layout);
            }
            long pts = frame.best_effort_timestamp();
            if (pts == AV_NOPTS_VALUE) {
                pts = lastPts == AV_NOPTS_VALUE ? 0 : lastPts + frameTicks;
            }
            FrameBuffer pixels = packer.pack(frame, pool);
            lastPts = pts;
            return new DecodedFrame(pixels, frame.width(), frame.height(), layout, pts, framesDecoded++);
        } finally {
            av_frame_unref(frame);
        }
    }

    /** At the end of the stream: the container's declared frame count must have been reached. */
    private void checkComplete() {
        long declared = info.video().frameCount();
        if (seeked || declared <= 0 || !EXACT_FRAME_COUNT_DEMUXERS.contains(info.formatName())) {
            return;
        }
        if (packetsRead < declared) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, info.path() + ": the container declares " + declared
                    + " video frames but only " + packetsRead + " could be read: the file is truncated");
        }
        if (framesDecoded < declared - packetsWithoutFrame) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, info.path() + ": the container declares " + declared
                    + " video frames but only " + framesDecoded + " decoded");
        }
    }

    /** One frame's duration in stream ticks, for frames that arrive without a timestamp. */
    private static long ticksPerFrame(VideoStreamInfo v) {
        Rational fps = v.frameRate();
        Rational tb = v.timeBase();
        if (!fps.isValid() || !tb.isValid()) {
            return 1;
        }
        return Math.max(1, av_rescale_q(1, av_make_q(fps.den(), fps.num()), av_make_q(tb.num(), tb.den())));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (packer != null) {
                packer.close();
            }
            if (frame != null) {
                av_frame_free(frame);
            }
            if (packet != null) {
                av_packet_free(packet);
            }
            if (codec != null) {
                avcodec_free_context(codec);
                OpenHandles.CODECS.decrementAndGet();
            }
        } finally {
            packer = null;
            frame = null;
            packet = null;
            codec = null;
            if (input != null) {
                input.close();
                input = null;
            }
        }
    }
}
