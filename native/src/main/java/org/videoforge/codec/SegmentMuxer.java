package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_close;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Stitches a video's encoded segments into its final container: the segments' video packets in
 * order, untouched (no re-encode), plus the source's audio and subtitles copied alongside, in step
 * with the video. Every segment was encoded with the same settings, so they share one set of codec
 * parameters; a segment that differs is rejected rather than muxed into an undecodable file.
 * Timestamps are the source's own, carried through each segment, so the result stays in sync.
 */
public final class SegmentMuxer {
    /** libavformat's AVFMT_FLAG_BITEXACT, which the Java bindings do not carry. */
    private static final int AVFMT_FLAG_BITEXACT = 0x0400;

    private SegmentMuxer() {
    }

    /**
     * Writes {@code segments} (video-only files, in presentation order) and the audio/subtitles of
     * {@code source} to {@code output} in the container {@code formatName}.
     *
     * @return video frames written
     * @throws EngineError CORRUPT_STREAM (a segment is unreadable or does not match the first),
     *                     OUTPUT_WRITE_FAILED, ENCODER_UNAVAILABLE (no such muxer)
     */
    public static long concatenate(List<Path> segments, MediaInfo source, Path output, String formatName) {
        Objects.requireNonNull(source, "source");
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no segments to concatenate");
        }
        FfmpegLog.quietByDefault();
        try (Output out = new Output(output, formatName)) {
            try (InputDemuxer first = openSegment(segments.get(0))) {
                out.addVideo(first.stream(videoIndex(first, segments.get(0))));
            }
            out.addCopiedStreams(source);
            out.writeHeader();
            for (Path segment : segments) {
                try (InputDemuxer in = openSegment(segment)) {
                    out.copyVideo(in, videoIndex(in, segment), segment);
                }
            }
            out.finish();
            return out.videoPackets;
        }
    }

    private static InputDemuxer openSegment(Path segment) {
        try {
            return InputDemuxer.open(segment, null);
        } catch (EngineError e) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, "encoded segment " + segment + " is unreadable: "
                    + e.getMessage(), e);
        }
    }

    private static int videoIndex(InputDemuxer in, Path segment) {
        for (int i = 0; i < in.streamCount(); i++) {
            if (in.stream(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                return i;
            }
        }
        throw new EngineError(ErrorCode.CORRUPT_STREAM, "encoded segment " + segment + " has no video stream");
    }

    /** The output muxer and what it owns. */
    private static final class Output implements AutoCloseable {
        private final Path path;
        private final String formatName;
        private AVFormatContext ctx;
        private boolean fileOpen;
        private AVStream video;
        private byte[] extradata;
        private StreamCopier copier;
        private AVPacket packet;
        private long lastDts = Long.MIN_VALUE;
        private long videoPackets;

        Output(Path path, String formatName) {
            this.path = path;
            this.formatName = formatName;
            AVFormatContext c = new AVFormatContext(null);
            FfmpegErrors.check(avformat_alloc_output_context2(c, null, formatName, path.toString()),
                    ErrorCode.ENCODER_UNAVAILABLE, "no muxer named " + formatName);
            ctx = c;
            // Same segments in, same bytes out: no encoder version strings or wall-clock times.
            ctx.flags(ctx.flags() | AVFMT_FLAG_BITEXACT);
            packet = av_packet_alloc();
            if (packet == null) {
                avformat_free_context(ctx);
                ctx = null;
                throw new EngineError(ErrorCode.INTERNAL, "out of memory allocating a packet");
            }
        }

        void addVideo(AVStream template) {
            video = avformat_new_stream(ctx, null);
            if (video == null) {
                throw new EngineError(ErrorCode.INTERNAL, "out of memory adding the video stream");
            }
            FfmpegErrors.check(avcodec_parameters_copy(video.codecpar(), template.codecpar()), ErrorCode.INTERNAL,
                    "copying the segments' video parameters");
            video.codecpar().codec_tag(0);
            video.time_base(template.time_base());
            video.avg_frame_rate(template.avg_frame_rate());
            extradata = extradataOf(template.codecpar());
        }

        void addCopiedStreams(MediaInfo source) {
            copier = StreamCopier.open(source, ctx);
            if (copier.copiedStreams() == 0) {
                copier.close();
                copier = null;
            }
        }

        void writeHeader() {
            if ((ctx.oformat().flags() & AVFMT_NOFILE) == 0) {
                AVIOContext pb = new AVIOContext(null);
                FfmpegErrors.checkWrite(avio_open(pb, path.toString(), AVIO_FLAG_WRITE), "cannot create " + path);
                ctx.pb(pb);
                fileOpen = true;
            }
            AVDictionary options = new AVDictionary(null);
            try {
                if (formatName.equals("mp4") || formatName.equals("mov")) {
                    av_dict_set(options, "movflags", "+faststart", 0);
                }
                FfmpegErrors.checkWrite(avformat_write_header(ctx, options), "writing the " + formatName + " header to " + path);
            } finally {
                av_dict_free(options);
            }
        }

        void copyVideo(InputDemuxer in, int index, Path segment) {
            AVStream is = in.stream(index);
            if (!Arrays.equals(extradata, extradataOf(is.codecpar()))
                    || is.codecpar().width() != video.codecpar().width()
                    || is.codecpar().height() != video.codecpar().height()) {
                throw new EngineError(ErrorCode.CORRUPT_STREAM, "encoded segment " + segment
                        + " was encoded differently from the first segment; they cannot be joined");
            }
            while (true) {
                int ret;
                in.deadline().arm("reading encoded segment " + segment);
                try {
                    ret = in.readPacket(packet); // a stalled read is STALLED, as in the decoder
                } finally {
                    in.deadline().disarm();
                }
                if (ret == AVERROR_EOF()) {
                    return;
                }
                FfmpegErrors.check(ret, ErrorCode.CORRUPT_STREAM, "reading encoded segment " + segment);
                try {
                    if (packet.stream_index() != index) {
                        continue;
                    }
                    av_packet_rescale_ts(packet, is.time_base(), video.time_base());
                    keepDecodeOrder();
                    packet.stream_index(video.index());
                    packet.pos(-1);
                    long t = packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
                    double seconds = t * (double) video.time_base().num() / video.time_base().den();
                    int w = av_interleaved_write_frame(ctx, packet);
                    FfmpegErrors.checkWrite(w, "writing video to " + path);
                    videoPackets++;
                    if (copier != null) {
                        copier.copyUpTo(seconds);
                    }
                } finally {
                    av_packet_unref(packet);
                }
            }
        }

        /**
         * Each segment's encoder starts its decode timestamps a reorder delay before its first pts;
         * where that dips under the previous segment's last dts, the dts is lifted (never past the
         * packet's pts), as a muxer needs strictly increasing decode times.
         */
        private void keepDecodeOrder() {
            long dts = packet.dts();
            if (dts == AV_NOPTS_VALUE) {
                return;
            }
            if (dts <= lastDts) {
                long lifted = lastDts + 1;
                if (packet.pts() != AV_NOPTS_VALUE && lifted > packet.pts()) {
                    throw new EngineError(ErrorCode.CORRUPT_STREAM, "segments overlap in time at dts " + dts);
                }
                dts = lifted;
                packet.dts(dts);
            }
            lastDts = dts;
        }

        void finish() {
            if (copier != null) {
                copier.copyRest();
            }
            FfmpegErrors.checkWrite(av_write_trailer(ctx), "finishing " + path);
            if (fileOpen) {
                fileOpen = false;
                AVIOContext pb = ctx.pb();
                ctx.pb(null);
                FfmpegErrors.checkWrite(avio_close(pb), "closing " + path);
            }
        }

        private static byte[] extradataOf(AVCodecParameters p) {
            if (p.extradata() == null || p.extradata_size() <= 0) {
                return new byte[0];
            }
            byte[] bytes = new byte[p.extradata_size()];
            p.extradata().get(bytes);
            return bytes;
        }

        @Override
        public void close() {
            if (copier != null) {
                copier.close();
                copier = null;
            }
            if (packet != null) {
                av_packet_free(packet);
                packet = null;
            }
            if (ctx != null) {
                if (fileOpen) {
                    fileOpen = false;
                    avio_close(ctx.pb()); // abandoning the file: the caller deletes it
                    ctx.pb(null);
                }
                avformat_free_context(ctx);
                ctx = null;
            }
        }
    }
}
