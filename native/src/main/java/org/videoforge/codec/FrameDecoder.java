package org.videoforge.codec;

/**
 * A source of decoded frames in presentation order: FFmpeg on the CPU ({@link VideoDecoder}) or
 * NVDEC on the GPU. Frames are NV12/P010 leases in the decoder's memory.
 */
public interface FrameDecoder extends AutoCloseable {
    /** The next frame, or null at the end of the stream. */
    DecodedFrame next();

    long framesDecoded();

    /**
     * Pictures decoded so far in decode order, shown or not, across seeks: what decoding cost. At
     * least {@link #framesDecoded()}; more where a seek decodes pictures before the range wanted.
     */
    default long picturesDecoded() {
        return framesDecoded();
    }

    /**
     * Repositions so that the next frames start at the keyframe at or before {@code pts} (stream
     * time base). Returns false where the decoder cannot seek; it then still reads from where it is,
     * and the caller skips frames before the point it wants (correct, only slower).
     */
    default boolean seekBefore(long pts) {
        return false;
    }

    @Override
    void close();
}
