package org.videoforge.job.cli;

/** Process exit codes of the CLI. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A coded engine error (the code is printed). */
    public static final int ENGINE_ERROR = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** Cancelled by the user (Ctrl+C), as shells report SIGINT. */
    public static final int CANCELLED = 130;

    private ExitCodes() {
    }
}
