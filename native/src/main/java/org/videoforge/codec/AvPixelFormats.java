package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_P010LE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P10LE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;

import org.bytedeco.javacpp.BytePointer;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.VideoCodec;

/** The mapping between FFmpeg's AVPixelFormat values and the pipeline's two frame layouts. */
final class AvPixelFormats {
    private AvPixelFormats() {
    }

    /** The pipeline layout a decoded format converts to exactly, or null when it is not 4:2:0 8/10-bit. */
    static PixelFormat pipelineFormatOf(int avPixFmt) {
        if (avPixFmt == AV_PIX_FMT_YUV420P || avPixFmt == AV_PIX_FMT_YUVJ420P || avPixFmt == AV_PIX_FMT_NV12) {
            return PixelFormat.NV12;
        }
        if (avPixFmt == AV_PIX_FMT_YUV420P10LE || avPixFmt == AV_PIX_FMT_P010LE) {
            return PixelFormat.P010;
        }
        return null;
    }

    /**
     * The format to tell swscale the decoded samples are in. yuvj420p holds the same samples as
     * yuv420p; naming it would make swscale expand full range into limited.
     */
    static int asSwscaleSource(int avPixFmt) {
        return avPixFmt == AV_PIX_FMT_YUVJ420P ? AV_PIX_FMT_YUV420P : avPixFmt;
    }

    /** The AVPixelFormat of a pipeline frame buffer. */
    static int layoutOf(PixelFormat format) {
        return format == PixelFormat.P010 ? AV_PIX_FMT_P010LE : AV_PIX_FMT_NV12;
    }

    /** What the software encoder is fed: libx264 reads NV12 itself; libx265 wants planar; 10-bit is planar for both. */
    static int encoderInputOf(VideoCodec codec, PixelFormat format) {
        if (format == PixelFormat.P010) {
            return AV_PIX_FMT_YUV420P10LE;
        }
        return codec == VideoCodec.H264 ? AV_PIX_FMT_NV12 : AV_PIX_FMT_YUV420P;
    }

    static String name(int avPixFmt) {
        BytePointer name = av_get_pix_fmt_name(avPixFmt);
        return name == null ? "unknown(" + avPixFmt + ")" : name.getString();
    }
}
