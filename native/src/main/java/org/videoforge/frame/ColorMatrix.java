package org.videoforge.frame;

/** Y'CbCr matrix coefficients (Kr, Kb) of the standards the pipeline honours. */
public enum ColorMatrix {
    BT601(0.299, 0.114),
    BT709(0.2126, 0.0722),
    BT2020(0.2627, 0.0593);

    private final double kr;
    private final double kb;

    ColorMatrix(double kr, double kb) {
        this.kr = kr;
        this.kb = kb;
    }

    public double kr() {
        return kr;
    }

    public double kb() {
        return kb;
    }

    public double kg() {
        return 1.0 - kr - kb;
    }
}
