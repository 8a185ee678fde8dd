package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISCARD;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * The presentation timestamps of every video frame of an input and which of them are keyframes,
 * read from the container's packets without decoding (a fast pass: no pixel is touched). This is
 * what a video is split into keyframe-aligned segments by.
 */
public final class KeyframeIndex {
    private final long[] framePts;     // sorted: presentation order
    private final long[] keyframePts;  // sorted

    private KeyframeIndex(long[] framePts, long[] keyframePts) {
        this.framePts = framePts;
        this.keyframePts = keyframePts;
    }

    /** Reads the video packets of {@code info}'s input. */
    public static KeyframeIndex read(MediaInfo info) {
        try (InputDemuxer in = InputDemuxer.open(info.path(), info.rawHint())) {
            for (int i = 0; i < in.streamCount(); i++) {
                if (i != info.videoStreamIndex()) {
                    in.stream(i).discard(AVDISCARD_ALL);
                }
            }
            AVPacket packet = av_packet_alloc();
            if (packet == null) {
                throw new EngineError(ErrorCode.INTERNAL, "out of memory allocating a packet");
            }
            try {
                return scan(info, in, packet);
            } finally {
                av_packet_free(packet);
            }
        }
    }

    private static KeyframeIndex scan(MediaInfo info, InputDemuxer in, AVPacket packet) {
        long[] pts = new long[1024];
        long[] keys = new long[64];
        int frames = 0;
        int keyframes = 0;
        while (true) {
            int ret;
            in.deadline().arm("reading packet " + (frames + 1) + " of " + info.path() + " for the keyframe index");
            try {
                ret = in.readPacket(packet); // a stalled read is STALLED, as in the decoder
            } finally {
                in.deadline().disarm();
            }
            if (ret == AVERROR_EOF()) {
                break;
            }
            if (ret < 0) {
                throw FfmpegErrors.error(ErrorCode.CORRUPT_STREAM, info.path() + ": reading packet " + (frames + 1)
                        + " for the keyframe index failed (truncated or damaged file)", ret);
            }
            try {
                if (packet.stream_index() != info.videoStreamIndex() || packet.size() == 0
                        || (packet.flags() & AV_PKT_FLAG_DISCARD) != 0) {
                    continue;
                }
                if ((packet.flags() & AV_PKT_FLAG_CORRUPT) != 0) {
                    throw new EngineError(ErrorCode.CORRUPT_STREAM, info.path() + ": video packet " + (frames + 1)
                            + " is damaged or truncated");
                }
                long t = packet.pts();
                if (t == AV_NOPTS_VALUE) {
                    // Raw bitstreams carry no timestamps: segments need them, so such input is one segment.
                    return new KeyframeIndex(new long[0], new long[0]);
                }
                if (frames == pts.length) {
                    pts = Arrays.copyOf(pts, frames * 2);
                }
                pts[frames++] = t;
                if ((packet.flags() & AV_PKT_FLAG_KEY) != 0) {
                    if (keyframes == keys.length) {
                        keys = Arrays.copyOf(keys, keyframes * 2);
                    }
                    keys[keyframes++] = t;
                }
            } finally {
                av_packet_unref(packet);
            }
        }
        long[] framePts = Arrays.copyOf(pts, frames);
        long[] keyframePts = Arrays.copyOf(keys, keyframes);
        Arrays.sort(framePts);
        Arrays.sort(keyframePts);
        return new KeyframeIndex(framePts, keyframePts);
    }

    public int frameCount() {
        return framePts.length;
    }

    /** Presentation timestamps of all frames, ascending. */
    public long[] framePts() {
        return framePts.clone();
    }

    /** Presentation timestamps of the keyframes, ascending. */
    public long[] keyframePts() {
        return keyframePts.clone();
    }
}
