package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_NORMAL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_query_codec;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_copy;

import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Copies the source's audio and subtitle packets, untouched, into the writer's muxer. It reads the
 * source with its own demuxer and hands packets over in step with the video: the writer asks for
 * everything up to each video packet's time, so the file stays interleaved.
 */
final class StreamCopier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamCopier.class);

    private final MediaInfo source;
    private final AVFormatContext out; // not owned: the writer's
    private final int[] outIndexOf;    // by source stream index; -1 = not copied
    private InputDemuxer in;
    private AVPacket pending;
    private boolean hasPending;
    private boolean exhausted;
    private int copiedStreams;

    private StreamCopier(MediaInfo source, AVFormatContext out, InputDemuxer in) {
        this.source = source;
        this.out = out;
        this.in = in;
        this.outIndexOf = new int[in.streamCount()];
        Arrays.fill(outIndexOf, -1);
    }

    /**
     * Opens the source again and adds an output stream for each audio and subtitle stream the
     * output container accepts. Call before the muxer's header is written.
     */
    static StreamCopier open(MediaInfo source, AVFormatContext out) {
        StreamCopier c = new StreamCopier(source, out, InputDemuxer.open(source.path(), source.rawHint()));
        try {
            c.mapStreams();
            c.pending = av_packet_alloc();
            if (c.pending == null) {
                throw new EngineError(ErrorCode.INTERNAL, "out of memory allocating a packet");
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void mapStreams() {
        for (int i = 0; i < in.streamCount(); i++) {
            AVStream is = in.stream(i);
            int type = is.codecpar().codec_type();
            boolean wanted = i != source.videoStreamIndex()
                    && (type == AVMEDIA_TYPE_AUDIO || type == AVMEDIA_TYPE_SUBTITLE);
            if (wanted && avformat_query_codec(out.oformat(), is.codecpar().codec_id(), FF_COMPLIANCE_NORMAL) != 1) {
                LOG.warn("{}: stream {} ({}) cannot be stored in {} and is dropped", source.path(), i,
                        MediaProbe.codecName(is.codecpar().codec_id()), out.oformat().name().getString());
                wanted = false;
            }
            if (!wanted) {
                is.discard(AVDISCARD_ALL);
                continue;
            }
            if (type == AVMEDIA_TYPE_AUDIO
                    && (is.codecpar().sample_rate() <= 0 || is.codecpar().ch_layout().nb_channels() <= 0)) {
                // What a cut before the first audio frame leaves: the muxer would refuse it as EINVAL.
                throw new EngineError(ErrorCode.CORRUPT_STREAM, source.path() + ": audio stream " + i
                        + " has no sample rate or channel count (the file is truncated or damaged)");
            }
            AVStream os = avformat_new_stream(out, null);
            if (os == null) {
                throw new EngineError(ErrorCode.INTERNAL, "out of memory adding an output stream");
            }
            FfmpegErrors.check(avcodec_parameters_copy(os.codecpar(), is.codecpar()), ErrorCode.INTERNAL,
                    "copying the parameters of stream " + i);
            os.codecpar().codec_tag(0); // the source container's tag may mean nothing in the output's
            os.time_base(is.time_base());
            os.disposition(is.disposition());
            AVDictionary metadata = new AVDictionary(null);
            FfmpegErrors.check(av_dict_copy(metadata, is.metadata(), 0), ErrorCode.INTERNAL, "copying stream metadata");
            os.metadata(metadata); // now owned by the output context
            outIndexOf[i] = os.index();
            copiedStreams++;
        }
    }

    int copiedStreams() {
        return copiedStreams;
    }

    /** Writes every source packet up to and including time {@code seconds} (by dts). */
    void copyUpTo(double seconds) {
        in.deadline().arm("copying audio/subtitles of " + source.path() + " up to " + seconds + " s");
        try {
            while (true) {
                if (!hasPending && !readNext()) {
                    return;
                }
                if (timeOf(pending) > seconds) {
                    return;
                }
                writePending();
            }
        } finally {
            in.deadline().disarm();
        }
    }

    /** Writes what is left of the source. */
    void copyRest() {
        copyUpTo(Double.POSITIVE_INFINITY);
    }

    private boolean readNext() {
        if (exhausted) {
            return false;
        }
        while (true) {
            int ret = in.readPacket(pending);
            if (ret == AVERROR_EOF()) {
                exhausted = true;
                return false;
            }
            if (ret < 0) {
                throw FfmpegErrors.error(ErrorCode.CORRUPT_STREAM, source.path() + ": reading audio/subtitle packets "
                        + "to copy failed (truncated or damaged file)", ret);
            }
            if (outIndexOf[pending.stream_index()] < 0) {
                av_packet_unref(pending);
                continue;
            }
            if ((pending.flags() & AV_PKT_FLAG_CORRUPT) != 0) {
                av_packet_unref(pending);
                throw new EngineError(ErrorCode.CORRUPT_STREAM, source.path() + ": a packet of stream "
                        + pending.stream_index() + " is damaged or truncated");
            }
            hasPending = true;
            return true;
        }
    }

    /** Decode time in seconds; packets with no time at all go out at once. */
    private double timeOf(AVPacket p) {
        long t = p.dts() != AV_NOPTS_VALUE ? p.dts() : p.pts();
        if (t == AV_NOPTS_VALUE) {
            return Double.NEGATIVE_INFINITY;
        }
        AVStream is = in.stream(p.stream_index());
        return t * (double) is.time_base().num() / is.time_base().den();
    }

    private void writePending() {
        int src = pending.stream_index();
        AVStream os = out.streams(outIndexOf[src]);
        av_packet_rescale_ts(pending, in.stream(src).time_base(), os.time_base());
        pending.stream_index(os.index());
        pending.pos(-1);
        hasPending = false;
        // av_interleaved_write_frame takes the packet's data reference and leaves it blank, even on failure.
        int ret = av_interleaved_write_frame(out, pending);
        av_packet_unref(pending);
        FfmpegErrors.checkWrite(ret, "writing a copied packet of stream " + src);
    }

    @Override
    public void close() {
        if (pending != null) {
            av_packet_free(pending);
            pending = null;
        }
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
