package org.videoforge.frame;

import java.io.Serializable;
import java.util.Objects;

/**
 * How a stream's samples map to RGB, read from its metadata. {@code primaries} and
 * {@code transfer} are FFmpeg's AVColorPrimaries / AVColorTransferCharacteristic values, carried
 * only so that the output is tagged like the input (the pipeline works in the input's gamut).
 */
public final class ColorSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ColorMatrix matrix;
    private final ColorRange range;
    private final boolean matrixTagged;
    private final boolean rangeTagged;
    private final int primaries;
    private final int transfer;

    public ColorSpec(ColorMatrix matrix, ColorRange range, boolean matrixTagged, boolean rangeTagged,
                     int primaries, int transfer) {
        this.matrix = Objects.requireNonNull(matrix);
        this.range = Objects.requireNonNull(range);
        this.matrixTagged = matrixTagged;
        this.rangeTagged = rangeTagged;
        this.primaries = primaries;
        this.transfer = transfer;
    }

    /** A spec stated outright (tests, synthetic frames); primaries/transfer left unspecified (2). */
    public static ColorSpec of(ColorMatrix matrix, ColorRange range) {
        return new ColorSpec(matrix, range, true, true, 2, 2);
    }

    public ColorMatrix matrix() {
        return matrix;
    }

    public ColorRange range() {
        return range;
    }

    /** False when the stream did not say and the matrix was inferred from the frame size. */
    public boolean matrixTagged() {
        return matrixTagged;
    }

    public boolean rangeTagged() {
        return rangeTagged;
    }

    public int primaries() {
        return primaries;
    }

    public int transfer() {
        return transfer;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ColorSpec)) {
            return false;
        }
        ColorSpec c = (ColorSpec) o;
        return matrix == c.matrix && range == c.range && matrixTagged == c.matrixTagged
                && rangeTagged == c.rangeTagged && primaries == c.primaries && transfer == c.transfer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(matrix, range, primaries, transfer);
    }

    @Override
    public String toString() {
        return matrix + "/" + range + (matrixTagged ? "" : " (matrix inferred)") + (rangeTagged ? "" : " (range inferred)");
    }
}
