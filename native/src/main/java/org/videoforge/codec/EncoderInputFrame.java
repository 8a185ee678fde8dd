package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_POINT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.PixelFormat;
import org.videoforge.memory.AddressPointer;
import org.videoforge.memory.FrameBuffer;

/**
 * The one AVFrame the encoder is fed from, refilled per frame from an NV12 / P010 pool buffer in
 * the encoder's input format. Same size and subsampling: swscale only (de)interleaves chroma and
 * shifts 10-bit samples, which point sampling does exactly.
 */
final class EncoderInputFrame implements AutoCloseable {
    private final int width;
    private final int height;
    private final PixelFormat layout;
    private final PointerPointer<?> srcPlanes = new PointerPointer<>(4);
    private final IntPointer srcStrides = new IntPointer(4);
    private SwsContext sws;
    private AVFrame frame;

    EncoderInputFrame(int width, int height, PixelFormat layout, int encoderFormat) {
        this.width = width;
        this.height = height;
        this.layout = layout;
        try {
            sws = sws_getContext(width, height, AvPixelFormats.layoutOf(layout), width, height, encoderFormat,
                    SWS_POINT | SWS_ACCURATE_RND, null, null, (DoublePointer) null);
            if (sws == null) {
                throw new EngineError(ErrorCode.ENCODER_UNAVAILABLE, "swscale cannot convert " + layout + " to "
                        + AvPixelFormats.name(encoderFormat) + " at " + width + "x" + height);
            }
            frame = av_frame_alloc();
            if (frame == null) {
                throw new EngineError(ErrorCode.INTERNAL, "out of memory allocating an encoder frame");
            }
            frame.format(encoderFormat).width(width).height(height);
            FfmpegErrors.check(av_frame_get_buffer(frame, 0), ErrorCode.INTERNAL, "allocating an encoder frame");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Copies {@code pixels} in and stamps {@code pts}; the returned frame stays owned by this object. */
    AVFrame fill(FrameBuffer pixels, long pts) {
        long need = layout.frameBytes(width, height);
        if (pixels.capacity() < need) {
            throw new IllegalArgumentException("frame buffer holds " + pixels.capacity() + " bytes, a " + width + "x"
                    + height + " " + layout + " frame needs " + need);
        }
        // The encoder may still reference the previous frame's buffers; this copies them away if so.
        FfmpegErrors.check(av_frame_make_writable(frame), ErrorCode.ENCODE_FAILED,
                "making the encoder frame writable");
        long pitch = layout.pitch(width);
        long lumaBytes = pitch * height;
        long base = pixels.address();
        srcPlanes.put(0, new AddressPointer(base, lumaBytes));
        srcPlanes.put(1, new AddressPointer(base + lumaBytes, pitch * PixelFormat.chromaHeight(height)));
        srcStrides.put(0, (int) pitch).put(1, (int) pitch);
        int rows = sws_scale(sws, srcPlanes, srcStrides, 0, height, frame.data(), frame.linesize());
        if (rows < 0) {
            throw FfmpegErrors.error(ErrorCode.ENCODE_FAILED, "swscale failed converting a frame for the encoder", rows);
        }
        frame.pts(pts);
        return frame;
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        srcPlanes.close();
        srcStrides.close();
    }
}
