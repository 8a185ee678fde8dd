package org.videoforge.codec.nvdec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISCARD;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.util.Objects;
import java.util.Set;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacpp.BytePointer;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.FrameDecoder;
import org.videoforge.codec.MediaInfo;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.MemoryKind;

/**
 * The GPU twin of {@link org.videoforge.codec.VideoDecoder}: decodes the probed H.264 / HEVC
 * stream on NVDEC into device-memory NV12 / P010 frames (tightly packed, the pipeline's layout),
 * in presentation order, with pts in the stream time base. FFmpeg demuxes (converting MP4 / MKV
 * packets to Annex B); NVDEC's parser and decoder do the rest. A frame's pixels are complete when
 * {@link #next()} returns it (the copy out of the decoder is synchronized), so any stream may read
 * them.
 *
 * <p>Damage is an error, as on the CPU: demuxer read errors and packets the container flags
 * damaged, pictures NVDEC reports decoded with (concealed) errors, parser and decoder failures,
 * and ending with fewer frames than an MP4/MOV index declares raise CORRUPT_STREAM, and the
 * decoder stays failed.
 *
 * <p>Not thread-safe: one thread calls {@link #next()}. Any number of decoders may run at once on
 * different threads, sharing the context and pool; each pushes the context onto its own thread for
 * the duration of each call.
 */
public final class NvDecoder implements FrameDecoder {
    /** Demuxers whose nb_frames is the exact number of video packets (see VideoDecoder). */
    private static final Set<String> EXACT_FRAME_COUNT_DEMUXERS = Set.of("mov,mp4,m4a,3gp,3g2,mj2");

    private final MediaInfo info;
    private final BucketedBufferPool pool;
    private final CUctx_st context;
    private final CUstream_st stream;
    private final PixelFormat layout;
    private final long frameTicks;
    private final String source;
    private final PtsLedger ledger = new PtsLedger();
    private AnnexBDemuxer input;
    private CuvidSession session;

    private long framesDecoded;
    private long lastPts = AV_NOPTS_VALUE;
    private boolean endSent;
    private boolean ended;
    private EngineError failure;
    private boolean closed;
    private boolean seeked;
    /** Video packets shown before this pts are not fed: see {@link #seekBefore}. */
    private long skipBefore = Long.MIN_VALUE;
    /** Keyframes fed since the last seek; decode errors count again from the second one on. */
    private int keyframesSinceSeek = 2;

    private NvDecoder(MediaInfo info, BucketedBufferPool pool, CUctx_st context, CUstream_st stream) {
        this.info = info;
        this.pool = pool;
        this.context = context;
        this.stream = stream;
        this.layout = info.video().pixelFormat();
        this.frameTicks = ticksPerFrame(info.video());
        this.source = info.path().toString();
    }

    /**
     * Opens the input {@code info} describes for NVDEC decoding.
     *
     * @param devicePool    where frames are leased; its buffers must be device memory of {@code context}'s device
     * @param context       a CUDA context (the device's retained primary context); made current per call
     * @param streamOrNull  the stream the frame copies run on; null for the legacy default stream
     * @throws EngineError DEVICE_UNAVAILABLE (no driver / NVDEC), UNSUPPORTED_CODEC or
     *                     UNSUPPORTED_PIXEL_FORMAT (NVDEC cannot decode this stream), INPUT_*
     */
    public static NvDecoder open(MediaInfo info, BucketedBufferPool devicePool, CUctx_st context,
                                 CUstream_st streamOrNull) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(devicePool, "devicePool");
        if (devicePool.kind() != MemoryKind.DEVICE) {
            throw new IllegalArgumentException("NVDEC frames need a device-memory pool, not " + devicePool.kind());
        }
        NvdecRuntime.require(info.path().toString());
        if (context == null || context.isNull()) {
            throw new IllegalArgumentException("a CUDA context is required");
        }
        NvdecCapabilities.requireUsable(info, context);
        NvDecoder d = new NvDecoder(info, devicePool, context, streamOrNull);
        try {
            d.start();
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void start() {
        input = AnnexBDemuxer.open(info);
        try (ContextScope scope = ContextScope.enter(context, "opening NVDEC for " + source)) {
            session = CuvidSession.create(info.video(), source, pool, stream);
        }
    }

    /**
     * The next frame in presentation order, its buffer a device lease, or null at the end.
     *
     * @throws EngineError CORRUPT_STREAM (and stays failed) when the data is damaged or truncated
     */
    @Override
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
        try (ContextScope scope = ContextScope.enter(context, "decoding " + source)) {
            while (true) {
                CuvidSession.Picture p = session.poll();
                if (p != null) {
                    DecodedFrame f = toFrame(p);
                    if (f != null) {
                        return f;
                    }
                    continue;
                }
                if (endSent) {
                    ended = true;
                    checkComplete();
                    return null;
                }
                feedNextPacket();
            }
        } catch (EngineError e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Repositions at the keyframe at or before {@code pts}, as the CPU decoder does: the demuxer
     * seeks, a new parser starts (the decoder and its surfaces stay), and the parameter sets are fed
     * again, since an open-GOP keyframe is not preceded by them. Decoding then costs the segment's
     * own pictures, not everything before it.
     *
     * <p>Packets shown before {@code pts} are not fed: after an open-GOP keyframe they are leading
     * pictures that reference the GOP before it and belong to the previous segment (see
     * {@code VideoDecoder.seekBefore}). Until the next keyframe NVDEC's decode errors are tolerated,
     * as the CPU decoder tolerates bitstream errors there, for the references an open GOP lists but
     * does not use; the comparison with the CPU decoder's pixels is what the tests hold it to.
     */
    @Override
    public boolean seekBefore(long pts) {
        if (closed || failure != null) {
            throw new IllegalStateException("decoder is closed or failed");
        }
        try (ContextScope scope = ContextScope.enter(context, "seeking in " + source)) {
            input.seekBefore(pts);
            session.restart();
            ledger.clear();
            lastPts = AV_NOPTS_VALUE;
            endSent = false;
            ended = false;
            seeked = true;
            skipBefore = pts;
            keyframesSinceSeek = 0;
            session.tolerateErrors(true);
            BytePointer parameterSets = input.parameterSets();
            if (parameterSets != null) {
                session.feed(parameterSets, (int) parameterSets.limit(), 0, false);
            }
        } catch (EngineError e) {
            failure = e;
            throw e;
        }
        return true;
    }

    /** Frames returned by {@link #next()} so far. */
    @Override
    public long framesDecoded() {
        return framesDecoded;
    }

    /** Pictures NVDEC has decoded since the decoder opened (decode order, across seeks, shown or not). */
    @Override
    public long picturesDecoded() {
        return session == null ? 0 : session.picturesDecoded();
    }

    public MediaInfo info() {
        return info;
    }

    private void feedNextPacket() {
        AVPacket packet = input.next();
        if (packet == null) {
            endSent = true;
            session.endOfStream();
            return;
        }
        long pts = packet.pts();
        boolean hasPts = pts != AV_NOPTS_VALUE;
        if (hasPts && pts < skipBefore) {
            return; // a leading picture of the keyframe sought (see seekBefore)
        }
        if ((packet.flags() & AV_PKT_FLAG_KEY) != 0 && keyframesSinceSeek < 2 && ++keyframesSinceSeek == 2) {
            session.tolerateErrors(false); // the first GOP after the seek is behind us
        }
        if (hasPts) {
            ledger.fed(pts, (packet.flags() & AV_PKT_FLAG_DISCARD) != 0);
        }
        session.feed(packet.data(), packet.size(), pts, hasPts);
    }

    private DecodedFrame toFrame(CuvidSession.Picture p) {
        PtsLedger.Entry entry = ledger.take(p.timestamp());
        if (entry == PtsLedger.Entry.DISCARDED) {
            p.pixels().close();
            return null;
        }
        long pts;
        if (entry == PtsLedger.Entry.SHOWN) {
            pts = p.timestamp();
        } else {
            pts = lastPts == AV_NOPTS_VALUE ? 0 : lastPts + frameTicks; // as the CPU decoder fills gaps
        }
        lastPts = pts;
        VideoStreamInfo v = info.video();
        return new DecodedFrame(p.pixels(), v.width(), v.height(), layout, pts, framesDecoded++);
    }

    /** At the end of the stream: the container's declared frame count must have been reached. */
    private void checkComplete() {
        long declared = info.video().frameCount();
        if (seeked || declared <= 0 || !EXACT_FRAME_COUNT_DEMUXERS.contains(info.formatName())) {
            return;
        }
        if (input.packetsRead() < declared) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, source + ": the container declares " + declared
                    + " video frames but only " + input.packetsRead() + " could be read: the file is truncated");
        }
        if (framesDecoded < declared - input.packetsWithoutFrame()) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, source + ": the container declares " + declared
                    + " video frames but only " + framesDecoded + " decoded (NVDEC decoded "
                    + session.picturesDecoded() + " pictures and showed " + session.picturesDisplayed() + ")");
        }
    }

    /** One frame's duration in stream ticks, for frames that arrive without a timestamp. */
    static long ticksPerFrame(VideoStreamInfo v) {
        Rational fps = v.frameRate();
        Rational tb = v.timeBase();
        if (!fps.isValid() || !tb.isValid()) {
            return 1;
        }
        return Math.max(1, av_rescale_q(1, av_make_q(fps.den(), fps.num()), av_make_q(tb.num(), tb.den())));
    }

    /** Destroys the NVDEC parser and decoder, returns undelivered frames to the pool and closes the input. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ContextScope scope = null;
        try {
            if (session != null) {
                try {
                    scope = ContextScope.enter(context, "closing NVDEC for " + source);
                } catch (EngineError contextGone) {
                    // Without the context the NVDEC handles may not be destroyable; the leases still go back.
                }
                session.close();
            }
        } finally {
            session = null;
            try {
                if (scope != null) {
                    scope.close();
                }
            } finally {
                if (input != null) {
                    input.close();
                    input = null;
                }
            }
        }
    }
}
