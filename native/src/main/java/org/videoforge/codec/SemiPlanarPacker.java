package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P10LE;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_POINT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.PixelFormat;
import org.videoforge.memory.AddressPointer;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;

/**
 * Copies decoded frames of one size and AVPixelFormat into tightly packed NV12 / P010 pool
 * buffers. Same size, same subsampling: swscale only interleaves chroma (and shifts 10-bit
 * samples into the high bits), so with point sampling the copy is exact.
 */
final class SemiPlanarPacker implements AutoCloseable {
    private final int width;
    private final int height;
    private final int sourceFormat;
    private final PixelFormat layout;
    private final PointerPointer<?> dstPlanes = new PointerPointer<>(4);
    private final IntPointer dstStrides = new IntPointer(4);
    private final boolean patchLastChromaColumn;
    private SwsContext sws;

    SemiPlanarPacker(int width, int height, int sourceFormat, PixelFormat layout) {
        this.width = width;
        this.height = height;
        this.sourceFormat = sourceFormat;
        this.layout = layout;
        this.patchLastChromaColumn = sourceFormat == AV_PIX_FMT_YUV420P10LE && layout == PixelFormat.P010
                && (width & 1) == 1;
        sws = sws_getContext(width, height, AvPixelFormats.asSwscaleSource(sourceFormat),
                width, height, AvPixelFormats.layoutOf(layout),
                SWS_POINT | SWS_ACCURATE_RND, null, null, (DoublePointer) null);
        if (sws == null) {
            close();
            throw new EngineError(ErrorCode.UNSUPPORTED_PIXEL_FORMAT, "swscale cannot convert "
                    + AvPixelFormats.name(sourceFormat) + " " + width + "x" + height + " to " + layout);
        }
    }

    /**
     * swscale's yuv420p10 -> p010 shortcut interleaves only width/2 chroma pairs, so an odd width
     * loses its last chroma column (FFmpeg 8.0); that column is copied over by hand.
     */
    private void copyLastChromaColumn(AVFrame frame, ByteBuffer dst, long lumaBytes, long pitch) {
        int chromaRows = PixelFormat.chromaHeight(height);
        int last = (width + 1) / 2 - 1;
        ByteBuffer u = frame.data(1).capacity((long) frame.linesize(1) * chromaRows).asByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer v = frame.data(2).capacity((long) frame.linesize(2) * chromaRows).asByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < chromaRows; y++) {
            int at = (int) (lumaBytes + y * pitch + 4L * last);
            dst.putShort(at, (short) (u.getShort(y * frame.linesize(1) + 2 * last) << 6));
            dst.putShort(at + 2, (short) (v.getShort(y * frame.linesize(2) + 2 * last) << 6));
        }
    }

    /** Whether frames of this size and format can go through this packer. */
    boolean accepts(AVFrame frame) {
        return frame.width() == width && frame.height() == height && frame.format() == sourceFormat;
    }

    /** A new lease holding the frame's pixels; the caller owns it. */
    FrameBuffer pack(AVFrame frame, BucketedBufferPool pool) {
        FrameBuffer lease = pool.acquire(layout.frameBytes(width, height));
        try {
            long pitch = layout.pitch(width);
            long lumaBytes = pitch * height;
            long base = lease.address();
            dstPlanes.put(0, new AddressPointer(base, lumaBytes));
            dstPlanes.put(1, new AddressPointer(base + lumaBytes, pitch * PixelFormat.chromaHeight(height)));
            dstStrides.put(0, (int) pitch).put(1, (int) pitch);
            int rows = sws_scale(sws, frame.data(), frame.linesize(), 0, height, dstPlanes, dstStrides);
            if (rows < 0) {
                throw FfmpegErrors.error(ErrorCode.INTERNAL, "swscale failed packing a decoded frame", rows);
            }
            if (patchLastChromaColumn) {
                copyLastChromaColumn(frame, lease.hostBytes(), lumaBytes, pitch);
            }
            return lease;
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        dstPlanes.close();
        dstStrides.close();
    }
}
