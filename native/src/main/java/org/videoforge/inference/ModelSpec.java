package org.videoforge.inference;

import java.io.Serializable;
import org.videoforge.frame.Precision;

/**
 * What the pipeline needs to know of an ONNX super-resolution model, read from the file itself:
 * tensor names, element type, upscale factor, and which axes are dynamic. Layout is always NCHW
 * with 3 channels (anything else is rejected when the spec is read).
 */
public final class ModelSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String inputName;
    private final String outputName;
    private final Precision precision;
    private final int scale;
    private final int fixedHeight;
    private final int fixedWidth;
    private final boolean dynamicBatch;

    public ModelSpec(String inputName, String outputName, Precision precision, int scale,
                     int fixedHeight, int fixedWidth, boolean dynamicBatch) {
        this.inputName = inputName;
        this.outputName = outputName;
        this.precision = precision;
        this.scale = scale;
        this.fixedHeight = fixedHeight;
        this.fixedWidth = fixedWidth;
        this.dynamicBatch = dynamicBatch;
    }

    public String inputName() {
        return inputName;
    }

    public String outputName() {
        return outputName;
    }

    /** Element type of input and output tensors. */
    public Precision precision() {
        return precision;
    }

    /** Output side = scale x input side. */
    public int scale() {
        return scale;
    }

    /** Input height the model is fixed to, or -1 if dynamic. */
    public int fixedHeight() {
        return fixedHeight;
    }

    public int fixedWidth() {
        return fixedWidth;
    }

    public boolean dynamicSpatial() {
        return fixedHeight < 0 && fixedWidth < 0;
    }

    public boolean dynamicBatch() {
        return dynamicBatch;
    }

    @Override
    public String toString() {
        return "x" + scale + " " + precision + " NCHW " + inputName + "->" + outputName
                + (dynamicSpatial() ? " dynamic HxW" : " fixed " + fixedWidth + "x" + fixedHeight)
                + (dynamicBatch ? " dynamic N" : " N=1");
    }
}
