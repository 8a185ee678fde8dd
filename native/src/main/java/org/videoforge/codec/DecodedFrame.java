package org.videoforge.codec;

import org.videoforge.frame.PixelFormat;
import org.videoforge.memory.FrameBuffer;

/**
 * One decoded frame in the pipeline's NV12 / P010 layout, owning its pool lease until closed or
 * {@linkplain #detach() detached}.
 */
public final class DecodedFrame implements AutoCloseable {
    private final int width;
    private final int height;
    private final PixelFormat pixelFormat;
    private final long pts;
    private final long index;
    private FrameBuffer buffer;

    /**
     * A frame owning {@code buffer} (host or device memory in the {@code pixelFormat} layout); public
     * so that decoders outside this package (NVDEC) can hand out frames too.
     */
    public DecodedFrame(FrameBuffer buffer, int width, int height, PixelFormat pixelFormat, long pts, long index) {
        this.buffer = buffer;
        this.width = width;
        this.height = height;
        this.pixelFormat = pixelFormat;
        this.pts = pts;
        this.index = index;
    }

    /** The pixels; still owned by this frame. */
    public FrameBuffer buffer() {
        if (buffer == null) {
            throw new IllegalStateException("frame " + index + " was detached or closed");
        }
        return buffer;
    }

    /** Presentation timestamp in the video stream's time base. */
    public long pts() {
        return pts;
    }

    /** 0-based position in decode-output (= presentation) order. */
    public long index() {
        return index;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public PixelFormat pixelFormat() {
        return pixelFormat;
    }

    /** Hands the lease to the caller, who must close it; closing this frame no longer does. */
    public FrameBuffer detach() {
        FrameBuffer b = buffer();
        buffer = null;
        return b;
    }

    @Override
    public void close() {
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
    }

    @Override
    public String toString() {
        return "frame " + index + " pts=" + pts + " " + width + "x" + height + " " + pixelFormat;
    }
}
