package org.videoforge.codec;

/**
 * A source of decoded frames in presentation order: FFmpeg on the CPU ({@link VideoDecoder}) or
 * NVDEC on the GPU. Frames are NV12/P010 leases in the decoder's memory.
 */
public interface FrameDecoder extends AutoCloseable {
    /** The next frame, or null at the end of the stream. */
    DecodedFrame next();

    long framesDecoded();

    @Override
    void close();
}
