package org.videoforge.color;

import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;

/**
 * The numbers that turn Y'CbCr code values of a given bit depth into normalised R'G'B' and back,
 * derived once from a stream's {@link ColorSpec}. Both the CPU converter and the GPU kernels take
 * exactly these values, so the two paths agree by construction (the CPU path is the oracle).
 *
 * <pre>
 * y' = (Y - yOffset) / yScale          cb' = (Cb - cOffset) / cScale     (likewise cr')
 * R = y' + rFromCr*cr'   G = y' - gFromCb*cb' - gFromCr*cr'   B = y' + bFromCb*cb'
 * </pre>
 */
public final class YuvCoefficients {
    public final float yOffset;
    public final float yScale;
    public final float cOffset;
    public final float cScale;
    public final float maxCode;
    public final float kr;
    public final float kg;
    public final float kb;
    public final float rFromCr;
    public final float gFromCb;
    public final float gFromCr;
    public final float bFromCb;

    private YuvCoefficients(ColorMatrix m, ColorRange range, int bitDepth) {
        float unit = 1 << (bitDepth - 8);
        maxCode = (1 << bitDepth) - 1;
        cOffset = 128 * unit;
        if (range == ColorRange.LIMITED) {
            yOffset = 16 * unit;
            yScale = 219 * unit;
            cScale = 224 * unit;
        } else {
            yOffset = 0;
            yScale = maxCode;
            cScale = maxCode;
        }
        kr = (float) m.kr();
        kb = (float) m.kb();
        kg = (float) m.kg();
        rFromCr = 2 * (1 - kr);
        bFromCb = 2 * (1 - kb);
        gFromCb = bFromCb * kb / kg;
        gFromCr = rFromCr * kr / kg;
    }

    public static YuvCoefficients of(ColorSpec spec, int bitDepth) {
        return new YuvCoefficients(spec.matrix(), spec.range(), bitDepth);
    }
}
