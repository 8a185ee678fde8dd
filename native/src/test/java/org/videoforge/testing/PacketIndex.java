package org.videoforge.testing;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * The video packets of a file as libavformat reads them (what {@code ffprobe -show_packets}
 * prints), so tests can cut or damage a file at a packet boundary on hosts without an ffmpeg
 * binary (the GPU machine).
 */
public final class PacketIndex {
    /** One packet: byte position in the file, size, presentation timestamp in stream ticks. */
    public record Packet(long pos, long size, long pts) {
    }

    private PacketIndex() {
    }

    /** Every packet of the first video stream, in file order. */
    public static List<Packet> videoPackets(Path file) {
        AVFormatContext ctx = new AVFormatContext(null);
        if (avformat_open_input(ctx, file.toString(), null, (AVDictionary) null) < 0) {
            throw new IllegalStateException("libavformat cannot open " + file);
        }
        AVPacket packet = av_packet_alloc();
        try {
            if (avformat_find_stream_info(ctx, (AVDictionary) null) < 0) {
                throw new IllegalStateException("no stream info in " + file);
            }
            int video = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
            if (video < 0) {
                throw new IllegalStateException("no video stream in " + file);
            }
            List<Packet> out = new ArrayList<>();
            while (av_read_frame(ctx, packet) >= 0) {
                if (packet.stream_index() == video) {
                    out.add(new Packet(packet.pos(), packet.size(), packet.pts()));
                }
                av_packet_unref(packet);
            }
            return out;
        } finally {
            av_packet_free(packet);
            avformat_close_input(ctx);
        }
    }

    /** The packets' presentation timestamps, sorted: the frames' timestamps in presentation order. */
    public static List<Long> sortedPts(Path file) {
        return videoPackets(file).stream().map(Packet::pts).sorted().toList();
    }
}
