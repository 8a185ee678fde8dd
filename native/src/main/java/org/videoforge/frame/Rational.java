package org.videoforge.frame;

import java.io.Serializable;

/** A time base or frame rate, as FFmpeg's AVRational. */
public final class Rational implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int num;
    private final int den;

    public Rational(int num, int den) {
        this.num = num;
        this.den = den;
    }

    public int num() {
        return num;
    }

    public int den() {
        return den;
    }

    public boolean isValid() {
        return num > 0 && den > 0;
    }

    public double toDouble() {
        return den == 0 ? 0 : (double) num / den;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rational && ((Rational) o).num == num && ((Rational) o).den == den;
    }

    @Override
    public int hashCode() {
        return 31 * num + den;
    }

    @Override
    public String toString() {
        return num + "/" + den;
    }
}
