package org.videoforge.job.cli;

import java.io.PrintStream;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/** Prints a failure the way the CLI promises: code, one-line reason, what to do. */
final class ErrorReporter {
    private final PrintStream err;

    ErrorReporter(PrintStream err) {
        this.err = err;
    }

    int report(Throwable failure) {
        EngineError e = EngineError.findIn(failure).orElseGet(() -> new EngineError(ErrorCode.JOB_FAILED,
                rootMessage(failure), failure));
        err.println("error " + e.oneLine());
        err.println("      " + e.code().advice());
        if (e.code() == ErrorCode.JOB_FAILED || e.code() == ErrorCode.INTERNAL) {
            failure.printStackTrace(err);
        }
        return e.code() == ErrorCode.CANCELLED ? ExitCodes.CANCELLED
                : e.code() == ErrorCode.INVALID_ARGUMENT ? ExitCodes.USAGE : ExitCodes.ENGINE_ERROR;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
