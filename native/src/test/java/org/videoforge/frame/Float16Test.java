package org.videoforge.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {

    private static int bits(float f) {
        return Float16.fromFloat(f) & 0xffff;
    }

    @Test
    void zerosKeepTheirSign() {
        assertEquals(0x0000, bits(0f));
        assertEquals(0x8000, bits(-0f));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Float16.toFloat((short) 0x8000)));
    }

    @Test
    void largestFiniteAndOverflow() {
        assertEquals(0x7bff, bits(65504f));
        assertEquals(65504f, Float16.toFloat((short) 0x7bff));
        assertEquals(0x7bff, bits(65519.99f)); // below the midpoint to 65536: stays at max
        assertEquals(0x7c00, bits(65520f)); // midpoint, ties to even (the "next" value is infinity)
        assertEquals(0x7c00, bits(1e6f));
        assertEquals(0xfc00, bits(-1e6f));
    }

    @Test
    void infinityAndNan() {
        assertEquals(0x7c00, bits(Float.POSITIVE_INFINITY));
        assertEquals(0xfc00, bits(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat((short) 0x7c00));
        int nan = bits(Float.NaN);
        assertEquals(0x7c00, nan & 0x7c00);
        assertTrue((nan & 0x3ff) != 0, "NaN must keep a non-zero mantissa");
        assertTrue(Float.isNaN(Float16.toFloat((short) nan)));
    }

    @Test
    void subnormals() {
        assertEquals(0x0001, bits(0x1p-24f)); // smallest subnormal
        assertEquals(0x03ff, bits(0x3ffp-24f)); // largest subnormal
        assertEquals(0x0400, bits(0x1p-14f)); // smallest normal
        assertEquals(0x0000, bits(0x1p-25f)); // half the smallest subnormal: tie to even (0)
        assertEquals(0x0001, bits(0x1.000002p-25f)); // just above: rounds up
        assertEquals(0x0002, bits(0x3p-25f)); // 1.5 ulp: tie to even (2)
        assertEquals(0x0000, bits(0x1p-30f)); // far below: zero
        assertEquals(0x1p-24f, Float16.toFloat((short) 1));
        assertEquals(0x400, bits(0x7ffp-25f)); // rounds up out of the subnormal range into the normal one
    }

    @Test
    void roundsToNearestEven() {
        assertEquals(0x3c00, bits(1f)); // 1.0
        assertEquals(0x3c00, bits(1f + 0x1p-11f)); // halfway between 1 and 1+2^-10: even is 1
        assertEquals(0x3c02, bits(1f + 0x3p-11f)); // halfway between 1+2^-10 and 1+2^-9: even is 1+2^-9
        assertEquals(0x3c01, bits(1f + 0x1.2p-11f)); // just above halfway: up
        assertEquals(0x3555, bits(1f / 3f)); // 0.333... -> 0x3555
        assertEquals(0x5bf8, bits(255f));
    }

    @Test
    void everyHalfRoundTripsAndEveryMidpointTiesToEven() {
        for (int i = 0; i < 0x10000; i++) {
            final int h = i;
            int exponent = (h >>> 10) & 0x1f;
            if (exponent == 0x1f) {
                continue; // inf / NaN covered above
            }
            float f = Float16.toFloat((short) h);
            assertEquals(h, bits(f), () -> "round trip of 0x" + Integer.toHexString(h));
            int magnitude = h & 0x7fff;
            if (magnitude < 0x7bff) {
                float next = Float16.toFloat((short) (h + 1));
                float mid = (f + next) / 2; // exact in float: halves have 11 significant bits
                int even = (h & 1) == 0 ? h : h + 1;
                assertEquals(even, bits(mid), () -> "midpoint above 0x" + Integer.toHexString(h));
                assertEquals(h, bits(Math.nextDown(Math.abs(mid)) * Math.signum(mid)));
                assertEquals(h + 1, bits(Math.nextUp(Math.abs(mid)) * Math.signum(mid)));
            }
        }
    }
}
