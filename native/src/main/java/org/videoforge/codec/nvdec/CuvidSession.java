package org.videoforge.codec.nvdec;

import static org.bytedeco.nvcodec.global.nvcuvid.CUVID_PKT_ENDOFSTREAM;
import static org.bytedeco.nvcodec.global.nvcuvid.CUVID_PKT_TIMESTAMP;
import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoChromaFormat_420;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidCreateVideoParser;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidDecodeStatus_Error;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidDecodeStatus_Error_Concealed;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidDestroyVideoParser;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidParseVideoData;

import java.util.ArrayDeque;
import java.util.BitSet;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.nvcodec.nvcuvid.CUVIDEOFORMAT;
import org.bytedeco.nvcodec.nvcuvid.CUVIDPARSERDISPINFO;
import org.bytedeco.nvcodec.nvcuvid.CUVIDPARSERPARAMS;
import org.bytedeco.nvcodec.nvcuvid.CUVIDPICPARAMS;
import org.bytedeco.nvcodec.nvcuvid.CUVIDSOURCEDATAPACKET;
import org.bytedeco.nvcodec.nvcuvid.CUvideoparser;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;

/**
 * One NVDEC parser and the decoder its sequence callback creates, plus the frames it has
 * displayed and not yet handed out. Packets go in with {@link #feed}; the parser calls back
 * synchronously, on the feeding thread, inside {@code cuvidParseVideoData}: the sequence callback
 * creates the decoder, the decode callback submits pictures, the display callback (in display
 * order) maps the surface, copies it into a pool lease, unmaps it at once and queues the lease.
 *
 * <p>The CUDA context must be current on the calling thread for every method, close included.
 * Not thread-safe: one thread feeds and polls. A callback arriving on another thread is treated
 * as an internal error rather than trusted.
 */
final class CuvidSession implements CuvidCallbacks.Handler, AutoCloseable {
    /**
     * Pictures the parser may hold back before display. 1 is the Video Codec SDK's default; frames
     * are copied out during the callback, so a deeper queue would only add latency.
     */
    private static final int MAX_DISPLAY_DELAY = 1;
    /** Used if the driver does not say how many decode surfaces the stream needs (old drivers). */
    private static final int FALLBACK_DECODE_SURFACES = 20;

    /** A displayed frame: its pixels in a pool lease and the timestamp of the packet that carried it. */
    record Picture(FrameBuffer pixels, long timestamp) {
    }

    private final VideoStreamInfo video;
    private final String source;
    private final BucketedBufferPool pool;
    private final CUstream_st stream;
    private final int cudaCodec;
    private final PixelFormat layout;
    private final ArrayDeque<Picture> displayed = new ArrayDeque<>();

    private Pointer userData;
    private CUvideoparser parser;
    private CuvidDecoder decoder;
    private CUVIDSOURCEDATAPACKET packet;
    private SurfaceCopier copier;

    private long packetsFed;
    private long picturesDecoded;
    private long picturesDisplayed;
    /** Whether decode errors are tolerated in pictures decoded now (see {@link #tolerateErrors}). */
    private boolean tolerant;
    /** Per decode surface: whether the picture decoded into it was decoded while {@link #tolerant}. */
    private final BitSet tolerantSurfaces = new BitSet();
    private Thread parsingThread;
    private EngineError callbackFailure;

    private CuvidSession(VideoStreamInfo video, String source, BucketedBufferPool pool, CUstream_st stream) {
        this.video = video;
        this.source = source;
        this.pool = pool;
        this.stream = stream;
        this.cudaCodec = NvdecCapabilities.cudaCodecOf(video.codec());
        this.layout = video.pixelFormat();
    }

    /**
     * Creates the parser (the decoder follows at the first sequence header). The parser's clock
     * is set to the stream time base when that is 1/N, so timestamps stay in stream ticks.
     */
    static CuvidSession create(VideoStreamInfo video, String source, BucketedBufferPool pool, CUstream_st stream) {
        CuvidSession s = new CuvidSession(video, source, pool, stream);
        try {
            s.start();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void start() {
        packet = CuvidDecoder.zeroed(new CUVIDSOURCEDATAPACKET());
        copier = new SurfaceCopier(stream);
        userData = CuvidCallbacks.register(this);
        createParser(1); // raised by the first sequence callback's return value
    }

    /**
     * After a seek: a new parser, so that nothing parsed before the seek (references, pictures held
     * for display) reaches the pictures after it; frames displayed and not yet taken are dropped.
     * The decoder and its surfaces are kept (creating one allocates them): the new parser's first
     * sequence header finds it matching, as a repeated header does, and it goes on decoding.
     */
    void restart() {
        destroyParser();
        for (Picture p = displayed.poll(); p != null; p = displayed.poll()) {
            p.pixels().close();
        }
        tolerantSurfaces.clear();
        createParser(decoder != null ? decoder.decodeSurfaces : 1);
    }

    /**
     * Whether NVDEC's decode errors in the pictures decoded from now on are tolerated rather than
     * damage: for the first GOP after a seek, where an open GOP's pictures list references from
     * before the keyframe that they do not use (see {@code NvDecoder.seekBefore}).
     */
    void tolerateErrors(boolean tolerate) {
        tolerant = tolerate;
    }

    private void createParser(int decodeSurfaces) {
        try (CUVIDPARSERPARAMS params = CuvidDecoder.zeroed(new CUVIDPARSERPARAMS())) {
            params.CodecType(cudaCodec)
                    .ulMaxNumDecodeSurfaces(decodeSurfaces)
                    .ulMaxDisplayDelay(MAX_DISPLAY_DELAY)
                    .ulClockRate(clockRateOf(video))
                    .pUserData(userData)
                    .pfnSequenceCallback(CuvidCallbacks.sequence())
                    .pfnDecodePicture(CuvidCallbacks.decode())
                    .pfnDisplayPicture(CuvidCallbacks.display());
            CUvideoparser created = new CUvideoparser();
            CudaResults.check(cuvidCreateVideoParser(created, params), ErrorCode.DEVICE_UNAVAILABLE,
                    "cuvidCreateVideoParser failed for " + source);
            parser = created;
        }
    }

    /** Timestamp units per second: the time base's denominator when it is 1/N, else NVDEC's default (0 = 10 MHz). */
    private static int clockRateOf(VideoStreamInfo v) {
        return v.timeBase().num() == 1 && v.timeBase().den() > 0 ? v.timeBase().den() : 0;
    }

    /**
     * Parses one Annex B packet; frames it completes are queued for {@link #poll}.
     *
     * @param timestamp passed through the parser to the frame's display, or ignored when {@code hasTimestamp} is false
     */
    void feed(BytePointer data, int size, long timestamp, boolean hasTimestamp) {
        packetsFed++;
        packet.flags(hasTimestamp ? CUVID_PKT_TIMESTAMP : 0).payload(data).payload_size(size)
                .timestamp(hasTimestamp ? timestamp : 0);
        parse("video packet " + packetsFed);
    }

    /** Tells the parser the stream ended: it decodes and displays everything it still holds. */
    void endOfStream() {
        packet.flags(CUVID_PKT_ENDOFSTREAM).payload(null).payload_size(0).timestamp(0);
        parse("the end of the stream");
    }

    private void parse(String what) {
        if (callbackFailure != null) {
            throw callbackFailure;
        }
        parsingThread = Thread.currentThread();
        int result;
        try {
            result = cuvidParseVideoData(parser, packet);
        } finally {
            parsingThread = null;
        }
        // The parser does not report failures of the callbacks themselves; they are recorded here.
        if (callbackFailure != null) {
            throw callbackFailure;
        }
        CudaResults.check(result, ErrorCode.CORRUPT_STREAM, source + ": the NVDEC parser rejected " + what);
    }

    /** The next displayed frame (display order), or null when none is waiting. The caller owns its lease. */
    Picture poll() {
        return displayed.poll();
    }

    long picturesDecoded() {
        return picturesDecoded;
    }

    long picturesDisplayed() {
        return picturesDisplayed;
    }

    // ---- parser callbacks: they run inside cuvidParseVideoData, on the thread in parse() ----

    @Override
    public int sequence(CUVIDEOFORMAT format) {
        try {
            onThisThread();
            return onSequence(format);
        } catch (Throwable t) {
            fail(t, "handling a sequence header");
            return 0;
        }
    }

    @Override
    public int decode(CUVIDPICPARAMS picture) {
        try {
            onThisThread();
            if (decoder == null) {
                throw new EngineError(ErrorCode.CORRUPT_STREAM, source + ": a picture came before any sequence header");
            }
            int result = decoder.decode(picture);
            CudaResults.check(result, ErrorCode.CORRUPT_STREAM,
                    source + ": NVDEC could not decode picture " + picturesDecoded + " (decode order)");
            tolerantSurfaces.set(picture.CurrPicIdx(), tolerant);
            picturesDecoded++;
            return 1;
        } catch (Throwable t) {
            fail(t, "decoding a picture");
            return 0;
        }
    }

    @Override
    public int display(CUVIDPARSERDISPINFO info) {
        if (info == null) {
            return 1; // end-of-stream notice (only sent with CUVID_PKT_NOTIFY_EOS, which is not used)
        }
        try {
            onThisThread();
            onDisplay(info);
            return 1;
        } catch (Throwable t) {
            fail(t, "copying out a decoded frame");
            return 0;
        }
    }

    private int onSequence(CUVIDEOFORMAT f) {
        int chroma = f.chroma_format();
        int lumaMinus8 = Byte.toUnsignedInt(f.bit_depth_luma_minus8());
        int chromaMinus8 = Byte.toUnsignedInt(f.bit_depth_chroma_minus8());
        if (chroma != cudaVideoChromaFormat_420 || lumaMinus8 != chromaMinus8
                || PixelFormat.forBitDepth(8 + lumaMinus8) != layout || lumaMinus8 > 2) {
            throw new EngineError(ErrorCode.UNSUPPORTED_PIXEL_FORMAT, source + ": the stream is "
                    + (chroma == cudaVideoChromaFormat_420 ? "4:2:0" : "not 4:2:0 (cudaVideoChromaFormat " + chroma + ")")
                    + " with " + (8 + lumaMinus8) + "-bit luma and " + (8 + chromaMinus8)
                    + "-bit chroma, but was probed as " + layout);
        }
        int left = f.display_area_left();
        int top = f.display_area_top();
        int right = f.display_area_right();
        int bottom = f.display_area_bottom();
        if (right - left != video.width() || bottom - top != video.height()) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, source + ": the stream shows " + (right - left) + "x"
                    + (bottom - top) + " pictures, not the probed " + video.width() + "x" + video.height()
                    + " (size changes mid-stream are not supported)");
        }
        int needed = Byte.toUnsignedInt(f.min_num_decode_surfaces());
        if (needed == 0) {
            needed = FALLBACK_DECODE_SURFACES;
        }
        if (decoder != null) {
            if (decoder.accepts(f, lumaMinus8, needed)) {
                return 1; // a repeated sequence header: keep the decoder and its surface count
            }
            throw new EngineError(ErrorCode.CORRUPT_STREAM, source + ": the stream's parameters change mid-stream (coded "
                    + f.coded_width() + "x" + f.coded_height() + ", " + needed + " reference surfaces, was "
                    + decoder.codedWidth + "x" + decoder.codedHeight + ", " + decoder.decodeSurfaces
                    + "); that is not supported");
        }
        decoder = CuvidDecoder.create(cudaCodec, f, lumaMinus8, needed, source);
        return needed;
    }

    private void onDisplay(CUVIDPARSERDISPINFO info) {
        if (decoder == null) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, source + ": a picture was shown before any sequence header");
        }
        CudaResults.check(decoder.map(info, stream), ErrorCode.CORRUPT_STREAM,
                source + ": NVDEC could not map decoded frame " + picturesDisplayed);
        long surface = decoder.mappedSurface();
        try {
            checkDecodeStatus(info.picture_index());
            FrameBuffer pixels = pool.acquire(layout.frameBytes(video.width(), video.height()));
            try {
                copier.copy(surface, decoder.mappedPitch(), decoder.codedHeight, decoder.displayLeft,
                        decoder.displayTop, video.width(), video.height(), layout, pixels.address());
            } catch (RuntimeException e) {
                pixels.close();
                throw e;
            }
            displayed.add(new Picture(pixels, info.timestamp()));
            picturesDisplayed++;
        } finally {
            // Unmapped at once: NVDEC has few output surfaces, and the copy has completed.
            int result = decoder.unmap(surface);
            if (result != 0 && callbackFailure == null) {
                callbackFailure = CudaResults.error(ErrorCode.DEVICE_UNAVAILABLE,
                        source + ": cuvidUnmapVideoFrame64 failed", result);
            }
        }
    }

    /**
     * Damage NVDEC concealed is damage: CORRUPT_STREAM, as the CPU decoder (which is told to
     * explode on errors) reports it. Drivers that cannot report a status leave only the
     * frame-count checks.
     */
    private void checkDecodeStatus(int index) {
        if (tolerantSurfaces.get(index)) {
            return;
        }
        int s = decoder.decodeStatus(index);
        if (s == cuvidDecodeStatus_Error || s == cuvidDecodeStatus_Error_Concealed) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, source + ": frame " + picturesDisplayed
                    + " (display order) was decoded with errors"
                    + (s == cuvidDecodeStatus_Error_Concealed ? " that NVDEC concealed" : ""));
        }
    }

    private void onThisThread() {
        if (parsingThread != Thread.currentThread()) {
            throw new EngineError(ErrorCode.INTERNAL, "NVDEC called back on " + Thread.currentThread().getName()
                    + ", not on the thread parsing (" + parsingThread + ")");
        }
    }

    private void fail(Throwable t, String what) {
        if (callbackFailure != null) {
            return; // the first failure is the cause; later ones are its consequences
        }
        callbackFailure = t instanceof EngineError ? (EngineError) t
                : new EngineError(ErrorCode.INTERNAL, source + ": " + what + " failed: " + t, t);
    }

    private void destroyParser() {
        if (parser != null) {
            CUvideoparser p = parser;
            parser = null;
            cuvidDestroyVideoParser(p);
        }
    }

    /** Destroys the parser and decoder and returns queued leases. The context must be current. */
    @Override
    public void close() {
        // Unregistered first: nothing the parser does while being destroyed reaches this object.
        CuvidCallbacks.unregister(userData);
        userData = null;
        try {
            destroyParser();
        } finally {
            try {
                if (decoder != null) {
                    decoder.close();
                }
            } finally {
                decoder = null;
                for (Picture p = displayed.poll(); p != null; p = displayed.poll()) {
                    p.pixels().close();
                }
                if (packet != null) {
                    packet.close();
                    packet = null;
                }
                if (copier != null) {
                    copier.close();
                    copier = null;
                }
            }
        }
    }
}
