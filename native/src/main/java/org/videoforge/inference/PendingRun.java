package org.videoforge.inference;

/**
 * A model run that has been queued and may still be computing (see
 * {@link InferenceBackend#submit}). Until {@link #await()} returns, the run's input and output
 * buffers belong to it: do not release, reuse or read them.
 */
public interface PendingRun {
    /** True once the output is ready; never blocks. */
    boolean isDone();

    /**
     * Blocks until the output is ready and returns how long the run itself took, in nanoseconds
     * (on a GPU: device time between the run's start and end, not time spent queued behind earlier
     * work). Call once.
     */
    long await();

    /** A run that finished before it was returned, after {@code nanos}. */
    static PendingRun completed(long nanos) {
        return new PendingRun() {
            @Override
            public boolean isDone() {
                return true;
            }

            @Override
            public long await() {
                return nanos;
            }
        };
    }
}
