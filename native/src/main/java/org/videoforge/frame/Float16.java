package org.videoforge.frame;

/**
 * IEEE 754 binary16 conversion (Java 17 has no Float.floatToFloat16). Float to half rounds to
 * nearest, ties to even, like a hardware cast; overflow gives infinity, NaN stays a (quiet) NaN.
 */
public final class Float16 {
    /** Largest finite half, 65504. */
    public static final float MAX_VALUE = 65504f;

    private Float16() {
    }

    /** The half-precision bit pattern nearest to {@code value}. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) {
            // Subnormal half: value / 2^-24, i.e. the 24-bit significand shifted right.
            if (halfExponent < -10) {
                return (short) sign; // below half the smallest subnormal: rounds to zero
            }
            int significand = mantissa | 0x800000;
            return (short) (sign | roundShift(significand, 14 - halfExponent));
        }
        // A carry out of the mantissa correctly bumps the exponent, up to infinity.
        int half = (halfExponent << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** The float equal to the half-precision bit pattern {@code half} (exact). */
    public static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    private static int roundShift(int value, int shift) {
        int result = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (result & 1) == 1)) {
            result++;
        }
        return result;
    }
}
