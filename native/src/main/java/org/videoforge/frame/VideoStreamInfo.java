package org.videoforge.frame;

import java.io.Serializable;

/** What the pipeline needs to know about an input's video stream, read once by the probe. */
public final class VideoStreamInfo implements Serializable {
    private static final long serialVersionUID = 1L;

    private final VideoCodec codec;
    private final int width;
    private final int height;
    private final PixelFormat pixelFormat;
    private final ColorSpec color;
    private final Rational timeBase;
    private final Rational frameRate;
    private final long frameCount;
    private final double durationSeconds;
    private final int[] displayMatrix;

    public VideoStreamInfo(VideoCodec codec, int width, int height, PixelFormat pixelFormat, ColorSpec color,
                           Rational timeBase, Rational frameRate, long frameCount, double durationSeconds) {
        this(codec, width, height, pixelFormat, color, timeBase, frameRate, frameCount, durationSeconds, null);
    }

    /** With the container's display matrix (9 ints, 16.16 / 2.30 fixed point as FFmpeg stores it), or null. */
    public VideoStreamInfo(VideoCodec codec, int width, int height, PixelFormat pixelFormat, ColorSpec color,
                           Rational timeBase, Rational frameRate, long frameCount, double durationSeconds,
                           int[] displayMatrix) {
        if (displayMatrix != null && displayMatrix.length != 9) {
            throw new IllegalArgumentException("a display matrix has 9 entries, not " + displayMatrix.length);
        }
        this.displayMatrix = displayMatrix == null ? null : displayMatrix.clone();
        this.codec = codec;
        this.width = width;
        this.height = height;
        this.pixelFormat = pixelFormat;
        this.color = color;
        this.timeBase = timeBase;
        this.frameRate = frameRate;
        this.frameCount = frameCount;
        this.durationSeconds = durationSeconds;
    }

    public VideoCodec codec() {
        return codec;
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

    public ColorSpec color() {
        return color;
    }

    /** Time base of the frame timestamps carried through the pipeline. */
    public Rational timeBase() {
        return timeBase;
    }

    /** Average frame rate; a hint for rate control, not the timing (timestamps are). */
    public Rational frameRate() {
        return frameRate;
    }

    /** Frames the container declares, or -1 when it does not say. */
    public long frameCount() {
        return frameCount;
    }

    public double durationSeconds() {
        return durationSeconds;
    }

    /**
     * How players must rotate or flip the picture (phone video: "rotate 90"), or null when the
     * container says nothing; kept in the output so an upscaled phone video stays upright.
     */
    public int[] displayMatrix() {
        return displayMatrix == null ? null : displayMatrix.clone();
    }

    /** Best guess of frames to expect, for progress display only; -1 if unknown. */
    public long expectedFrames() {
        if (frameCount > 0) {
            return frameCount;
        }
        if (durationSeconds > 0 && frameRate.isValid()) {
            return Math.round(durationSeconds * frameRate.toDouble());
        }
        return -1;
    }

    @Override
    public String toString() {
        return codec + " " + width + "x" + height + " " + pixelFormat + " " + color + " tb=" + timeBase
                + " fps=" + frameRate + " frames=" + frameCount;
    }
}
