package org.videoforge.codec.nvdec;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISCARD;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_flush;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_get_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_init;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_send_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_move_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_ENOENT;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVBSFContext;
import org.bytedeco.ffmpeg.avcodec.AVBitStreamFilter;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.videoforge.codec.FfmpegErrors;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.RawInputHint;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.VideoCodec;

/**
 * The video stream's packets as Annex B access units (start codes, parameter sets in band), which
 * is what NVDEC's parser reads. MP4 / MKV / MOV store H.264 and HEVC length-prefixed with the
 * parameter sets in the header; the {@code h264_mp4toannexb} / {@code hevc_mp4toannexb} bitstream
 * filter rewrites them. Raw .h264 / .hevc files and MPEG-TS already are Annex B and pass as read.
 *
 * <p>Reads like {@code VideoDecoder}: audio and subtitle packets are read too (and dropped), so
 * that damage or truncation hitting only them fails here; packets the container flags corrupt
 * raise CORRUPT_STREAM. Owns the format context, the packets and the filter. One thread.
 */
final class AnnexBDemuxer implements AutoCloseable {
    private final Path path;
    private final int streamIndex;
    private AVFormatContext format;
    private AVBSFContext filter;
    private AVPacket read;
    private AVPacket out;
    private long packetsRead;
    private long packetsWithoutFrame;
    private boolean endOfFile;

    private AnnexBDemuxer(Path path, int streamIndex) {
        this.path = path;
        this.streamIndex = streamIndex;
    }

    static AnnexBDemuxer open(MediaInfo info) {
        AnnexBDemuxer d = new AnnexBDemuxer(info.path(), info.videoStreamIndex());
        try {
            d.start(info);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void start(MediaInfo info) {
        openInput(info.rawHint());
        if (streamIndex >= format.nb_streams()
                || format.streams(streamIndex).codecpar().codec_type() != AVMEDIA_TYPE_VIDEO) {
            throw new EngineError(ErrorCode.INPUT_UNREADABLE,
                    path + " changed since it was probed: stream " + streamIndex + " is not video");
        }
        for (int i = 0; i < format.nb_streams(); i++) {
            int type = format.streams(i).codecpar().codec_type();
            if (i != streamIndex && type != AVMEDIA_TYPE_AUDIO && type != AVMEDIA_TYPE_SUBTITLE) {
                format.streams(i).discard(AVDISCARD_ALL);
            }
        }
        read = av_packet_alloc();
        out = av_packet_alloc();
        if (read == null || out == null) {
            throw new EngineError(ErrorCode.INTERNAL, "out of memory allocating packets");
        }
        AVStream st = format.streams(streamIndex);
        if (!isAnnexB(st.codecpar())) {
            openFilter(st, info.video().codec());
        }
    }

    /** Opens the file as InputDemuxer does: a raw bitstream with its codec's raw demuxer, anything else probed. */
    private void openInput(RawInputHint hint) {
        AVInputFormat forced = null;
        if (hint != null && RawInputHint.isRawBitstreamPath(path)) {
            forced = av_find_input_format(hint.codec().ffmpegName());
            if (forced == null) {
                throw new EngineError(ErrorCode.INPUT_UNREADABLE,
                        "this FFmpeg build has no " + hint.codec().ffmpegName() + " demuxer for " + path);
            }
        }
        AVFormatContext ctx = new AVFormatContext(null);
        int ret = avformat_open_input(ctx, path.toString(), forced, (AVDictionary) null);
        if (ret < 0) { // avformat_open_input has freed the context itself
            ErrorCode code = ret == AVERROR_ENOENT() ? ErrorCode.INPUT_NOT_FOUND : ErrorCode.INPUT_UNREADABLE;
            throw FfmpegErrors.error(code, "cannot open " + path + " as media", ret);
        }
        format = ctx;
        FfmpegErrors.check(avformat_find_stream_info(ctx, (PointerPointer<?>) null), ErrorCode.INPUT_UNREADABLE,
                "cannot read stream information of " + path);
    }

    /**
     * Annex B streams carry their parameter sets in band: no extradata, or extradata that itself
     * starts with a start code. avcC / hvcC extradata (MP4, MKV) starts with version byte 1.
     */
    static boolean isAnnexB(AVCodecParameters par) {
        int size = par.extradata_size();
        BytePointer x = par.extradata();
        if (size < 4 || x == null || x.isNull()) {
            return true;
        }
        return x.get(0) == 0 && x.get(1) == 0 && (x.get(2) == 1 || (x.get(2) == 0 && x.get(3) == 1));
    }

    private void openFilter(AVStream st, VideoCodec codec) {
        String name = codec == VideoCodec.HEVC ? "hevc_mp4toannexb" : "h264_mp4toannexb";
        AVBitStreamFilter bsf = av_bsf_get_by_name(name);
        if (bsf == null) {
            throw new EngineError(ErrorCode.INTERNAL, "this FFmpeg build has no " + name + " bitstream filter");
        }
        AVBSFContext ctx = new AVBSFContext(null);
        FfmpegErrors.check(av_bsf_alloc(bsf, ctx), ErrorCode.INTERNAL, "cannot allocate the " + name + " filter");
        filter = ctx;
        FfmpegErrors.check(avcodec_parameters_copy(ctx.par_in(), st.codecpar()), ErrorCode.INTERNAL,
                "cannot configure the " + name + " filter");
        ctx.time_base_in(st.time_base());
        FfmpegErrors.check(av_bsf_init(ctx), ErrorCode.CORRUPT_STREAM,
                path + ": the " + name + " filter rejected the stream's parameter sets");
    }

    /** Whether packets pass through a bitstream filter (false for Annex B input). */
    boolean filtered() {
        return filter != null;
    }

    /**
     * Repositions at the keyframe at or before {@code pts} (stream time base), as
     * {@code VideoDecoder.seekBefore} does, and empties the filter of what it held.
     *
     * @throws EngineError CORRUPT_STREAM where the container cannot seek there
     */
    void seekBefore(long pts) {
        FfmpegErrors.check(av_seek_frame(format, streamIndex, pts, AVSEEK_FLAG_BACKWARD), ErrorCode.CORRUPT_STREAM,
                path + ": cannot seek to pts " + pts);
        if (filter != null) {
            av_bsf_flush(filter);
        }
        av_packet_unref(read);
        av_packet_unref(out);
        endOfFile = false;
    }

    /**
     * The stream's parameter sets (SPS/PPS, and VPS for HEVC) as Annex B bytes, or null where the
     * stream carries them only in band. Fed to a fresh parser after a seek: the filter repeats them
     * before IDR pictures only, not before an open-GOP keyframe.
     */
    BytePointer parameterSets() {
        AVCodecParameters par = filter != null ? filter.par_out() : format.streams(streamIndex).codecpar();
        if (par.extradata_size() <= 0 || par.extradata() == null || par.extradata().isNull() || !isAnnexB(par)) {
            return null;
        }
        return par.extradata().capacity(par.extradata_size()).limit(par.extradata_size());
    }

    /**
     * The next video packet in Annex B form, with the container's pts / flags, or null at the end.
     * The packet belongs to this demuxer and is valid until the next call.
     *
     * @throws EngineError CORRUPT_STREAM for read errors and packets the container flags damaged
     */
    AVPacket next() {
        av_packet_unref(out);
        while (true) {
            if (filter != null) {
                int ret = av_bsf_receive_packet(filter, out);
                if (ret >= 0) {
                    if (out.size() > 0) {
                        return out;
                    }
                    av_packet_unref(out);
                    continue;
                }
                if (ret == AVERROR_EOF()) {
                    return null;
                }
                if (ret != AVERROR_EAGAIN()) {
                    throw FfmpegErrors.error(ErrorCode.CORRUPT_STREAM,
                            path + ": converting video packet " + packetsRead + " to Annex B failed", ret);
                }
                if (endOfFile) {
                    throw new EngineError(ErrorCode.INTERNAL, "the bitstream filter asked for input after the end");
                }
            } else if (endOfFile) {
                return null;
            }
            if (!readVideoPacket()) {
                endOfFile = true;
                if (filter == null) {
                    return null;
                }
                FfmpegErrors.check(av_bsf_send_packet(filter, null), ErrorCode.INTERNAL,
                        "flushing the bitstream filter failed");
                continue;
            }
            if (filter == null) {
                av_packet_move_ref(out, read);
                return out;
            }
            int ret = av_bsf_send_packet(filter, read); // takes the packet's reference on success
            av_packet_unref(read);
            FfmpegErrors.check(ret, ErrorCode.CORRUPT_STREAM,
                    path + ": the bitstream filter rejected video packet " + packetsRead);
        }
    }

    /** Reads up to the next non-empty video packet into {@code read}; false at the end of the file. */
    private boolean readVideoPacket() {
        while (true) {
            int ret = av_read_frame(format, read);
            if (ret == AVERROR_EOF()) {
                return false;
            }
            if (ret < 0) {
                throw FfmpegErrors.error(ErrorCode.CORRUPT_STREAM, path + ": reading video packet "
                        + (packetsRead + 1) + " failed (truncated or damaged file)", ret);
            }
            boolean video = read.stream_index() == streamIndex;
            if (video) {
                packetsRead++;
            }
            if ((read.flags() & AV_PKT_FLAG_CORRUPT) != 0) {
                int size = read.size();
                int stream = read.stream_index();
                av_packet_unref(read);
                throw new EngineError(ErrorCode.CORRUPT_STREAM, path + ": "
                        + (video ? "video packet " + packetsRead : "a packet of stream " + stream)
                        + " is damaged or shorter than the container declares (" + size
                        + " bytes read): the file is truncated or damaged");
            }
            if (!video || read.size() == 0) {
                if (video) {
                    packetsWithoutFrame++; // AVI's dropped-frame markers
                }
                av_packet_unref(read);
                continue;
            }
            if ((read.flags() & AV_PKT_FLAG_DISCARD) != 0) {
                packetsWithoutFrame++; // decoded as a reference, never shown (outside an edit list)
            }
            return true;
        }
    }

    /** Video packets read from the container so far. */
    long packetsRead() {
        return packetsRead;
    }

    /** Video packets that yield no frame by design (empty, or flagged discard). */
    long packetsWithoutFrame() {
        return packetsWithoutFrame;
    }

    @Override
    public void close() {
        if (out != null) {
            av_packet_free(out);
            out = null;
        }
        if (read != null) {
            av_packet_free(read);
            read = null;
        }
        if (filter != null) {
            av_bsf_free(filter);
            filter = null;
        }
        if (format != null) {
            avformat_close_input(format);
            format = null;
        }
    }
}
