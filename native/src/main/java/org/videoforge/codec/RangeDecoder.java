package org.videoforge.codec;

import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * The frames of one keyframe-aligned segment of a stream: those with presentation timestamps in
 * [{@code startPts}, {@code endPts}) (Long.MIN_VALUE: from the start). Seeks the wrapped decoder to the segment's keyframe where it
 * can (else reads from where it is and skips), stops once the frames the keyframe index counted
 * are out (or at the first frame past the end, where the count is unknown), and checks that
 * exactly that many came out: a segment short of frames is a damaged stream, not a shorter video.
 */
public final class RangeDecoder implements FrameDecoder {
    private final FrameDecoder decoder;
    private final boolean ownsDecoder;
    private final long startPts;
    private final long endPts;
    private final long expectedFrames;
    private final String what;
    private long returned;
    private boolean ended;

    /**
     * @param decoder        owned from here on
     * @param expectedFrames frames the segment holds; negative when unknown
     */
    public RangeDecoder(FrameDecoder decoder, long startPts, long endPts, long expectedFrames, String what) {
        this(decoder, true, startPts, endPts, expectedFrames, what);
    }

    /**
     * A range of a decoder that stays open afterwards, for the next range of the same input: a
     * range from the start ({@code startPts} Long.MIN_VALUE) needs a decoder that has not read yet.
     */
    public static RangeDecoder borrowing(FrameDecoder decoder, long startPts, long endPts, long expectedFrames,
                                         String what) {
        return new RangeDecoder(decoder, false, startPts, endPts, expectedFrames, what);
    }

    private RangeDecoder(FrameDecoder decoder, boolean ownsDecoder, long startPts, long endPts, long expectedFrames,
                         String what) {
        this.decoder = decoder;
        this.ownsDecoder = ownsDecoder;
        this.startPts = startPts;
        this.endPts = endPts;
        this.expectedFrames = expectedFrames;
        this.what = what;
        try {
            if (startPts != Long.MIN_VALUE) {
                decoder.seekBefore(startPts);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public DecodedFrame next() {
        if (ended) {
            return null;
        }
        if (returned == expectedFrames) {
            // Every frame the index counted is out: the end, without decoding into the next segment.
            return end();
        }
        while (true) {
            DecodedFrame f = decoder.next();
            if (f == null) {
                return end();
            }
            if (f.pts() < startPts) {
                f.close();
                continue;
            }
            if (f.pts() >= endPts) {
                f.close();
                return end();
            }
            returned++;
            return f;
        }
    }

    private DecodedFrame end() {
        ended = true;
        if (expectedFrames >= 0 && returned != expectedFrames) {
            throw new EngineError(ErrorCode.CORRUPT_STREAM, what + ": " + returned + " frames decoded where the "
                    + "container holds " + expectedFrames + " (damaged or truncated stream)");
        }
        return null;
    }

    @Override
    public long framesDecoded() {
        return returned;
    }

    /** The wrapped decoder's count, since it opened (a borrowed decoder's too). */
    @Override
    public long picturesDecoded() {
        return decoder.picturesDecoded();
    }

    /** Closes the decoder, unless it was {@link #borrowing borrowed}. */
    @Override
    public void close() {
        if (ownsDecoder) {
            decoder.close();
        }
    }
}
