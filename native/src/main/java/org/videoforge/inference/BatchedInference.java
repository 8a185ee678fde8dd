package org.videoforge.inference;

import java.util.List;
import org.videoforge.device.FrameDevice;
import org.videoforge.device.TensorOps;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;

/**
 * One model run over several frames of one size (micro-batching): the frames' tensors are
 * gathered into one [n,3,h,w] batch, inferred at once, and the [n,3,h*s,w*s] result is scattered
 * into one output tensor per frame, so that each frame moves on with its own buffer. The copies
 * are device-to-device on a GPU.
 */
public final class BatchedInference {
    private BatchedInference() {
    }

    public static void run(InferenceBackend backend, FrameDevice device, List<FrameBuffer> inputs,
                           List<FrameBuffer> outputs, int height, int width) {
        int n = inputs.size();
        if (n != outputs.size() || n == 0) {
            throw new IllegalArgumentException(n + " inputs for " + outputs.size() + " outputs");
        }
        Precision p = backend.model().precision();
        int s = backend.model().scale();
        long in = p.tensorBytes(1, height, width);
        long out = p.tensorBytes(1, height * s, width * s);
        TensorOps ops = device.tensorOps();
        try (FrameBuffer batchIn = device.acquire(in * n); FrameBuffer batchOut = device.acquire(out * n)) {
            for (int i = 0; i < n; i++) {
                ops.copy(inputs.get(i), 0, batchIn, i * in, in);
            }
            ops.await(); // the backend computes on its own stream
            backend.run(batchIn, batchOut, n, height, width);
            for (int i = 0; i < n; i++) {
                ops.copy(batchOut, i * out, outputs.get(i), 0, out);
            }
            ops.await();
        }
    }
}
