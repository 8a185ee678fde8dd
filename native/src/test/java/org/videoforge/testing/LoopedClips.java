package org.videoforge.testing;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_close;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * A long benchmark input made in seconds: the video stream of a short clip, packet-copied
 * {@code times} times end to end, each pass's timestamps shifted by the clip's length
 * ({@code ffmpeg -stream_loop N -c copy} without an ffmpeg binary, which GPU hosts lack).
 * {@link SyntheticClips} encodes every frame, ten minutes for a 30-minute 720p clip; a loop costs
 * the decoder and the model the same per frame. The clip must open with a keyframe and close its
 * GOPs (x264's default), so each pass decodes on its own.
 */
public final class LoopedClips {
    private LoopedClips() {
    }

    /** {@code LoopedClips IN OUT TIMES}: writes OUT (container from its extension). */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: LoopedClips IN OUT TIMES");
            System.exit(2);
        }
        int times = Integer.parseInt(args[2]);
        long packets = loop(Path.of(args[0]), Path.of(args[1]), times);
        System.out.println("wrote " + args[1] + ": " + packets + " video packets, " + times + " passes of " + args[0]);
    }

    /** Writes {@code out}; returns the number of video packets written. */
    public static long loop(Path in, Path out, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, not " + times);
        }
        AVFormatContext o = new AVFormatContext(null);
        check(avformat_alloc_output_context2(o, null, null, out.toString()), "no muxer for " + out);
        AVPacket pkt = av_packet_alloc();
        try {
            AVStream dst = null;
            long shift = 0;
            long written = 0;
            for (int pass = 0; pass < times; pass++) {
                AVFormatContext i = new AVFormatContext(null);
                check(avformat_open_input(i, in.toString(), (AVInputFormat) null, (AVDictionary) null), "open " + in);
                try {
                    check(avformat_find_stream_info(i, (AVDictionary) null), "probe " + in);
                    int v = videoStream(i, in);
                    AVStream src = i.streams(v);
                    if (dst == null) {
                        dst = avformat_new_stream(o, null);
                        check(avcodec_parameters_copy(dst.codecpar(), src.codecpar()), "codec parameters");
                        dst.codecpar().codec_tag(0);
                        dst.time_base(src.time_base());
                        dst.avg_frame_rate(src.avg_frame_rate());
                        if ((o.oformat().flags() & AVFMT_NOFILE) == 0) {
                            AVIOContext pb = new AVIOContext(null);
                            check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE), "create " + out);
                            o.pb(pb);
                        }
                        check(avformat_write_header(o, (AVDictionary) null), "header of " + out);
                    }
                    long end = Long.MIN_VALUE; // this pass's last pts + duration, in the source time base
                    while (av_read_frame(i, pkt) >= 0) {
                        if (pkt.stream_index() != v) {
                            av_packet_unref(pkt);
                            continue;
                        }
                        if (pkt.pts() == AV_NOPTS_VALUE) {
                            throw new IllegalStateException(in + ": a video packet without pts");
                        }
                        end = Math.max(end, pkt.pts() + Math.max(1, pkt.duration()));
                        pkt.pts(pkt.pts() + shift);
                        if (pkt.dts() != AV_NOPTS_VALUE) {
                            pkt.dts(pkt.dts() + shift);
                        }
                        pkt.stream_index(0);
                        pkt.pos(-1);
                        // The header may have given the output stream another time base (mp4 does).
                        av_packet_rescale_ts(pkt, src.time_base(), dst.time_base());
                        check(av_interleaved_write_frame(o, pkt), "write to " + out);
                        written++;
                    }
                    if (end == Long.MIN_VALUE) {
                        throw new IllegalStateException(in + " has no video packets");
                    }
                    shift += end - startPts(i, v);
                } finally {
                    avformat_close_input(i);
                }
            }
            check(av_write_trailer(o), "trailer of " + out);
            return written;
        } finally {
            av_packet_free(pkt);
            if (o.pb() != null) {
                avio_close(o.pb());
            }
            avformat_free_context(o);
        }
    }

    private static long startPts(AVFormatContext i, int v) {
        long start = i.streams(v).start_time();
        return start == AV_NOPTS_VALUE ? 0 : start;
    }

    private static int videoStream(AVFormatContext i, Path in) {
        for (int s = 0; s < i.nb_streams(); s++) {
            if (i.streams(s).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                return s;
            }
        }
        throw new IllegalArgumentException(in + " has no video stream");
    }

    private static void check(int rc, String what) {
        if (rc < 0) {
            throw new IllegalStateException(what + " failed: FFmpeg error " + rc);
        }
    }
}
