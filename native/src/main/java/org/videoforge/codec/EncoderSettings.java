package org.videoforge.codec;

import java.io.Serializable;
import java.util.Objects;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.frame.VideoStreamInfo;

/**
 * How {@link VideoWriter} encodes: codec, output size, bit depth (the frame layout it is fed),
 * colour tags, time base and rate-control knobs. Immutable; build with {@link #builder} or
 * {@link #like(VideoStreamInfo)}.
 */
public final class EncoderSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_PRESET = "medium";
    /** The presets x264 and x265 share, fastest first. */
    public static final java.util.List<String> PRESETS = java.util.List.of("ultrafast", "superfast", "veryfast",
            "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo");

    private final VideoCodec codec;
    private final int width;
    private final int height;
    private final PixelFormat pixelFormat;
    private final ColorSpec color;
    private final Rational timeBase;
    private final Rational frameRate;
    private final int crf;
    private final String preset;
    private final int threads;
    private final int keyframeInterval;
    private final Gop gop;
    private final int[] displayMatrix;

    /**
     * Whether pictures after a keyframe may reference the GOP before it (x264 {@code open-gop},
     * HEVC CRA pictures with leading RASL pictures). Open GOPs are what many cameras and
     * broadcasters deliver; the tests make them to check that segments cut at such keyframes
     * still decode exactly.
     */
    public enum Gop {
        /** The encoder's own default (x264: closed, x265: open). */
        ENCODER_DEFAULT,
        CLOSED,
        OPEN
    }

    private EncoderSettings(Builder b) {
        this.codec = b.codec;
        this.width = b.width;
        this.height = b.height;
        this.pixelFormat = b.pixelFormat;
        this.color = b.color != null ? b.color
                : new ColorSpec(b.height >= ColorTags.HD_HEIGHT ? ColorMatrix.BT709 : ColorMatrix.BT601,
                        ColorRange.LIMITED, false, false, 2, 2);
        this.frameRate = b.frameRate;
        this.timeBase = b.timeBase != null ? b.timeBase : new Rational(b.frameRate.den(), b.frameRate.num());
        this.crf = b.crf >= 0 ? b.crf : defaultCrf(b.codec);
        this.preset = b.preset;
        this.threads = b.threads;
        this.keyframeInterval = b.keyframeInterval;
        this.gop = b.gop;
        this.displayMatrix = b.displayMatrix;
    }

    /** Settings for {@code codec} at {@code width}x{@code height}: NV12, 25 fps, time base 1/25, untagged colour. */
    public static Builder builder(VideoCodec codec, int width, int height) {
        return new Builder().codec(codec).size(width, height);
    }

    /**
     * Settings that re-encode {@code source} as it is: same codec, size, bit depth, colour, time base
     * (so timestamps pass through unchanged) and frame rate. Change the size for an upscale.
     */
    public static Builder like(VideoStreamInfo source) {
        Builder b = builder(source.codec(), source.width(), source.height())
                .pixelFormat(source.pixelFormat())
                .color(source.color())
                .timeBase(source.timeBase())
                .displayMatrix(source.displayMatrix());
        if (source.frameRate().isValid()) {
            b.frameRate(source.frameRate());
        }
        return b;
    }

    /** x264 and x265 differ in how CRF maps to quality; these give visually similar results. */
    public static int defaultCrf(VideoCodec codec) {
        return codec == VideoCodec.HEVC ? 20 : 18;
    }

    public Builder toBuilder() {
        return new Builder().codec(codec).size(width, height).pixelFormat(pixelFormat).color(color)
                .timeBase(timeBase).frameRate(frameRate).crf(crf).preset(preset).threads(threads)
                .keyframeInterval(keyframeInterval).gop(gop).displayMatrix(displayMatrix);
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

    /** The layout of the frames handed to {@link VideoWriter#write}; P010 encodes 10-bit. */
    public PixelFormat pixelFormat() {
        return pixelFormat;
    }

    public ColorSpec color() {
        return color;
    }

    /** The encoder's time base: that of the input stream, so frame pts pass through unchanged. */
    public Rational timeBase() {
        return timeBase;
    }

    /** Average frame rate, a rate-control hint and the stream's nominal rate; timing comes from pts. */
    public Rational frameRate() {
        return frameRate;
    }

    public int crf() {
        return crf;
    }

    public String preset() {
        return preset;
    }

    /** Encoder threads; 0 lets the encoder choose. */
    public int threads() {
        return threads;
    }

    /** Most frames from one keyframe to the next; 0 leaves it to the encoder (x264: 250). */
    public int keyframeInterval() {
        return keyframeInterval;
    }

    public Gop gop() {
        return gop;
    }

    /** The display matrix written with the video stream (see {@link VideoStreamInfo#displayMatrix()}), or null. */
    public int[] displayMatrix() {
        return displayMatrix == null ? null : displayMatrix.clone();
    }

    @Override
    public String toString() {
        return codec.softwareEncoder() + " " + width + "x" + height + " " + pixelFormat + " " + color + " tb="
                + timeBase + " fps=" + frameRate + " crf=" + crf + " preset=" + preset + " threads=" + threads;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private VideoCodec codec;
        private int width;
        private int height;
        private PixelFormat pixelFormat = PixelFormat.NV12;
        private ColorSpec color;
        private Rational timeBase;
        private Rational frameRate = new Rational(25, 1);
        private int crf = -1;
        private String preset = DEFAULT_PRESET;
        private int threads;
        private int keyframeInterval;
        private Gop gop = Gop.ENCODER_DEFAULT;
        private int[] displayMatrix;

        private Builder() {
        }

        public Builder codec(VideoCodec codec) {
            this.codec = Objects.requireNonNull(codec);
            return this;
        }

        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder pixelFormat(PixelFormat pixelFormat) {
            this.pixelFormat = Objects.requireNonNull(pixelFormat);
            return this;
        }

        /** Colour tags; null means untagged (matrix inferred from the height, limited range). */
        public Builder color(ColorSpec color) {
            this.color = color;
            return this;
        }

        /** Null means 1/frameRate. */
        public Builder timeBase(Rational timeBase) {
            this.timeBase = timeBase;
            return this;
        }

        public Builder frameRate(Rational frameRate) {
            this.frameRate = Objects.requireNonNull(frameRate);
            return this;
        }

        /** Constant rate factor 0..51; -1 means the codec's default. */
        public Builder crf(int crf) {
            this.crf = crf;
            return this;
        }

        public Builder preset(String preset) {
            this.preset = Objects.requireNonNull(preset);
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** 0 leaves the keyframe interval to the encoder. */
        public Builder keyframeInterval(int frames) {
            this.keyframeInterval = frames;
            return this;
        }

        public Builder gop(Gop gop) {
            this.gop = Objects.requireNonNull(gop);
            return this;
        }

        /** 9 entries as FFmpeg's display matrix, or null for none. */
        public Builder displayMatrix(int[] matrix) {
            if (matrix != null && matrix.length != 9) {
                throw new IllegalArgumentException("a display matrix has 9 entries, not " + matrix.length);
            }
            this.displayMatrix = matrix == null ? null : matrix.clone();
            return this;
        }

        public EncoderSettings build() {
            if (codec == null) {
                throw new IllegalArgumentException("encoder settings need a codec");
            }
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("output size must be positive: " + width + "x" + height);
            }
            if (!frameRate.isValid()) {
                throw new IllegalArgumentException("frame rate must be positive: " + frameRate);
            }
            if (timeBase != null && !timeBase.isValid()) {
                throw new IllegalArgumentException("time base must be positive: " + timeBase);
            }
            if (crf < -1 || crf > 51) {
                throw new IllegalArgumentException("crf must be 0..51: " + crf);
            }
            if (!PRESETS.contains(preset)) {
                throw new IllegalArgumentException("unknown encoder preset '" + preset + "': one of " + PRESETS);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0: " + threads);
            }
            if (keyframeInterval < 0) {
                throw new IllegalArgumentException("keyframe interval must be >= 0: " + keyframeInterval);
            }
            return new EncoderSettings(this);
        }
    }
}
