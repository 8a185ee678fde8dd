package org.videoforge.inference;

import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;

/**
 * One loaded model on one runtime. Tensors are NCHW RGB planar in [0,1], of the model's
 * precision, in buffers of {@link #tensorMemory()}; the backend reads and writes them in place
 * (IO binding), so no tensor is copied on the way in or out. Not thread-safe: one owner.
 */
public interface InferenceBackend extends AutoCloseable {
    ModelSpec model();

    /** Short name for logs and telemetry, e.g. "onnxruntime-cpu". */
    String name();

    /** Where input and output tensors must live. */
    MemoryKind tensorMemory();

    /**
     * Runs {@code batch} frames of {@code height x width}: input [batch,3,h,w] at {@code input},
     * output [batch,3,h*s,w*s] into {@code output}. Returns when the output is ready to read.
     */
    void run(FrameBuffer input, FrameBuffer output, int batch, int height, int width);

    /**
     * Queues the same run as {@link #run} and returns before it finishes where the runtime can
     * (the CUDA backend: the GPU computes while the caller goes on; the caller must keep both
     * buffers untouched until {@link PendingRun#await()}). The default runs to completion first.
     */
    default PendingRun submit(FrameBuffer input, FrameBuffer output, int batch, int height, int width) {
        long t0 = System.nanoTime();
        run(input, output, batch, height, width);
        return PendingRun.completed(System.nanoTime() - t0);
    }

    @Override
    void close();
}
