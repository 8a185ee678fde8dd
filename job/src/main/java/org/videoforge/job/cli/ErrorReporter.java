package org.videoforge.job.cli;

import java.io.PrintStream;
import org.apache.flink.runtime.client.JobCancellationException;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/** Prints a failure the way the CLI promises: code, one-line reason, what to do. */
public final class ErrorReporter {
    private final PrintStream err;

    public ErrorReporter(PrintStream err) {
        this.err = err;
    }

    public int report(Throwable failure) {
        EngineError e = EngineError.findIn(failure).orElseGet(() -> new EngineError(
                cancelled(failure) ? ErrorCode.CANCELLED : ErrorCode.JOB_FAILED, rootMessage(failure), failure));
        err.println("error " + e.oneLine());
        err.println("      " + e.code().advice());
        if (e.code() == ErrorCode.JOB_FAILED || e.code() == ErrorCode.INTERNAL) {
            failure.printStackTrace(err);
        }
        return e.code() == ErrorCode.CANCELLED ? ExitCodes.CANCELLED
                : e.code() == ErrorCode.INVALID_ARGUMENT ? ExitCodes.USAGE : ExitCodes.ENGINE_ERROR;
    }

    /** Cancelled from the cluster side (flink cancel, the web UI, REST). */
    private static boolean cancelled(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JobCancellationException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
