package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
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
     *                     OUTPUT_WRITE_FAILED, OUTPUT_DISK_FULL, STALLED, ENCODER_UNAVAILABLE (no such muxer)
     */
    public static long concatenate(List<Path> segments, MediaInfo source, Path output, String formatName) {
        return concatenate(segments, source, output, formatName, IoDeadline.DEFAULT);
    }

    /** As {@link #concatenate(List, MediaInfo, Path, String)}, with the watchdog's deadline per packet written. */
    public static long concatenate(List<Path> segments, MediaInfo source, Path output, String formatName,
                                   Duration stallDeadline) {
        Objects.requireNonNull(source, "source");
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no segments to concatenate");
        }
        FfmpegLog.quietByDefault();
        try (OutputMuxer muxer = OutputMuxer.create(output, formatName, stallDeadline);
             Joiner out = new Joiner(muxer, output)) {
            muxer.bitExact(); // same segments in, same bytes out
            muxer.deadline().arm("opening " + output);
            try (InputDemuxer first = openSegment(segments.get(0))) {
                out.addVideo(first.stream(videoIndex(first, segments.get(0))));
            }
            muxer.copyStreamsFrom(source);
            muxer.open();
            muxer.deadline().disarm();
            for (Path segment : segments) {
                try (InputDemuxer in = openSegment(segment)) {
                    out.copyVideo(in, videoIndex(in, segment), segment);
                }
            }
            muxer.deadline().arm("copying the rest of the audio and subtitles into " + output);
            muxer.finish();
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

    /** The segments' video packets on their way into the muxer, checked and kept in decode order. */
    private static final class Joiner implements AutoCloseable {
        private final OutputMuxer muxer;
        private final Path path;
        private AVStream video;
        private byte[] extradata;
        private AVPacket packet;
        private long lastDts = Long.MIN_VALUE;
        private long videoPackets;

        Joiner(OutputMuxer muxer, Path path) {
            this.muxer = muxer;
            this.path = path;
            packet = av_packet_alloc();
            if (packet == null) {
                throw new EngineError(ErrorCode.INTERNAL, "out of memory allocating a packet");
            }
        }

        void addVideo(AVStream template) {
            video = muxer.addVideo();
            FfmpegErrors.check(avcodec_parameters_copy(video.codecpar(), template.codecpar()), ErrorCode.INTERNAL,
                    "copying the segments' video parameters");
            video.codecpar().codec_tag(0);
            video.time_base(template.time_base());
            video.avg_frame_rate(template.avg_frame_rate());
            extradata = extradataOf(template.codecpar());
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
                    muxer.deadline().arm("writing packet " + videoPackets + " of " + segment + " to " + path);
                    try {
                        muxer.writeVideo(packet);
                    } finally {
                        muxer.deadline().disarm();
                    }
                    videoPackets++;
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
            if (packet != null) {
                av_packet_free(packet);
                packet = null;
            }
        }
    }
}
