package org.videoforge.model;

/**
 * The parameters of one 2-D convolution in ONNX layout: weight OIHW (out, in, kernel h, kernel w),
 * flattened row-major, and one bias per output channel.
 */
public record ConvWeights(int outChannels, int inChannels, int kernelH, int kernelW, float[] weight, float[] bias) {

    public ConvWeights {
        if (weight.length != (long) outChannels * inChannels * kernelH * kernelW) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected "
                    + outChannels + "x" + inChannels + "x" + kernelH + "x" + kernelW);
        }
        if (bias.length != outChannels) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + outChannels);
        }
    }

    /** Reorders a TensorFlow/Keras kernel, HWIO (kernel h, kernel w, in, out), to OIHW. */
    public static ConvWeights fromHwio(float[] hwio, int kernelH, int kernelW, int inChannels, int outChannels,
                                       float[] bias) {
        float[] oihw = new float[hwio.length];
        for (int y = 0; y < kernelH; y++) {
            for (int x = 0; x < kernelW; x++) {
                for (int i = 0; i < inChannels; i++) {
                    for (int o = 0; o < outChannels; o++) {
                        float v = hwio[((y * kernelW + x) * inChannels + i) * outChannels + o];
                        oihw[((o * inChannels + i) * kernelH + y) * kernelW + x] = v;
                    }
                }
            }
        }
        return new ConvWeights(outChannels, inChannels, kernelH, kernelW, oihw, bias);
    }

    public long parameterCount() {
        return (long) weight.length + bias.length;
    }
}
