package org.videoforge.inference.tensorrt;

import org.bytedeco.tensorrt.nvinfer.Dims4;
import org.bytedeco.tensorrt.nvinfer.Dims64;

/** TensorRT's {@code Dims64} to and from {@code long[]}. */
final class TrtDims {
    private TrtDims() {
    }

    /** NCHW dims; the caller closes them. */
    static Dims64 of(long[] d) {
        return new Dims4(d[0], d[1], d[2], d[3]);
    }

    /** The dims of a by-value Dims64 TensorRT returned, which is then closed. */
    static long[] toArray(Dims64 d) {
        try (Dims64 dims = d) {
            int n = Math.max(0, dims.nbDims());
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = dims.d(i);
            }
            return out;
        }
    }
}
