package org.videoforge.job.environment;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl+C (SIGINT) and SIGTERM for a long-running job on the embedded MiniCluster: the first stops
 * the job with a savepoint, waiting at most a bound, and cancels it if none came (its retained
 * checkpoints stay); a second one ends the process at once (the next start resumes from the last
 * completed checkpoint). Handled as signals, not in a shutdown hook: while the JVM shuts down,
 * the MiniCluster's own hooks tear it down, and a second Ctrl+C could not be told apart.
 *
 * <pre>{@code
 * try (SavepointStop stop = SavepointStop.install(job, savepoints, Duration.ofMinutes(2), System.err)) {
 *     job.getJobExecutionResult().get();  // returns (or throws) once stopped
 *     if (stop.requested()) { stop.awaitStopped(); ... }
 * }
 * }</pre>
 */
public final class SavepointStop implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM");
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(30);

    private final JobClient job;
    private final String savepointDir;
    private final Duration timeout;
    private final PrintStream err;
    private final AtomicInteger signals = new AtomicInteger();
    private final Thread stopper;
    private final List<SignalHandler> previous;

    private SavepointStop(JobClient job, Path savepointDir, Duration timeout, PrintStream err) {
        this.job = job;
        this.savepointDir = savepointDir.toUri().toString();
        this.timeout = timeout;
        this.err = err;
        this.stopper = new Thread(this::stop, "videoforge-savepoint-stop");
        this.previous = SIGNALS.stream().map(this::handle).toList();
    }

    /** The handler it replaces; null where the JVM keeps the signal to itself (-Xrs). */
    private SignalHandler handle(String name) {
        try {
            return Signal.handle(new Signal(name), this::onSignal);
        } catch (IllegalArgumentException unavailable) {
            return null;
        }
    }

    /** Handles SIGINT and SIGTERM from now until {@link #close()}. */
    public static SavepointStop install(JobClient job, Path savepointDir, Duration timeout, PrintStream err) {
        return new SavepointStop(job, savepointDir, timeout, err);
    }

    /** Whether a signal asked the job to stop. */
    public boolean requested() {
        return signals.get() > 0;
    }

    /** Waits until the stop has finished reporting (the job itself has ended by then, or is cancelled). */
    public void awaitStopped() throws InterruptedException {
        stopper.join();
    }

    private void onSignal(Signal signal) {
        if (signals.incrementAndGet() == 1) {
            stopper.start();
        } else {
            err.println("stopping at once; the next start resumes from the last completed checkpoint");
            err.flush();
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }

    private void stop() {
        err.println();
        err.println("stopping with a savepoint (waiting at most " + timeout.toSeconds() + " s for the segments "
                + "in progress; press Ctrl+C again to stop at once)");
        try {
            String savepoint = job.stopWithSavepoint(false, savepointDir, SavepointFormatType.CANONICAL)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            err.println("stopped with savepoint " + savepoint + "; the same command resumes from it");
        } catch (TimeoutException | ExecutionException e) {
            err.println("no savepoint within " + timeout.toSeconds() + " s (" + rootCause(e) + "); cancelling: "
                    + "the same command resumes from the last completed checkpoint");
            cancel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void cancel() {
        try {
            job.cancel().get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            err.println("could not cancel the job (" + rootCause(e) + "); exiting anyway");
        }
    }

    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Puts the previous signal handlers back. */
    @Override
    public void close() {
        for (int i = 0; i < SIGNALS.size(); i++) {
            if (previous.get(i) != null) {
                Signal.handle(new Signal(SIGNALS.get(i)), previous.get(i));
            }
        }
    }
}
