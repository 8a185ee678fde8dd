package org.videoforge.flink.inference;

import java.util.List;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.inference.PendingRun;
import org.videoforge.memory.FrameBuffer;

/**
 * A batch whose model run has been queued: its frames (still holding their input tensors, which
 * the run reads), the output tensors the run writes, and the run itself. Exactly one of
 * {@link #finish()} or {@link #abandon()} ends it.
 */
final class LaunchedBatch {
    private final List<FrameEnvelope> frames;
    private final List<FrameBuffer> outputs;
    private final PendingRun run;
    private final int outWidth;
    private final int outHeight;
    private long nanosPerFrame;

    LaunchedBatch(List<FrameEnvelope> frames, List<FrameBuffer> outputs, PendingRun run, int outWidth, int outHeight) {
        if (frames.size() != outputs.size() || frames.isEmpty()) {
            throw new IllegalArgumentException(frames.size() + " frames for " + outputs.size() + " outputs");
        }
        this.frames = frames;
        this.outputs = outputs;
        this.run = run;
        this.outWidth = outWidth;
        this.outHeight = outHeight;
    }

    boolean isDone() {
        return run.isDone();
    }

    int size() {
        return frames.size();
    }

    /**
     * Waits for the run, then gives each frame its output tensor (releasing its input, which the
     * run no longer reads). On failure releases everything and rethrows.
     */
    void finish() {
        long runNanos;
        try {
            runNanos = run.await();
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        nanosPerFrame = runNanos / frames.size(); // a batch's time, shared by its frames
        for (int i = 0; i < frames.size(); i++) {
            FrameEnvelope frame = frames.get(i);
            frame.replacePayload(outputs.get(i), FrameEnvelope.Payload.OUTPUT_TENSOR, outWidth, outHeight);
            frame.inferenceNanos(nanosPerFrame);
        }
    }

    /** The frames in order; after {@link #finish()} each holds its output tensor. */
    List<FrameEnvelope> frames() {
        return frames;
    }

    /** The run's time per frame; valid after {@link #finish()}. */
    long nanosPerFrame() {
        return nanosPerFrame;
    }

    /**
     * Ends a batch that will not be emitted (the task is failing or cancelled): waits for the run
     * first, so that no buffer goes back to the pool while the device may still use it.
     */
    void abandon() {
        try {
            run.await();
        } catch (RuntimeException ignored) {
            // The task is failing already; its first error is the one reported.
        } finally {
            release();
        }
    }

    private void release() {
        outputs.forEach(FrameBuffer::close);
        frames.forEach(FrameEnvelope::close);
    }
}
