package org.videoforge.job.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a command as a terminal would, with SIGINT at its default disposition. A test runner started
 * in the background by a non-interactive shell (`mvn verify &`, nohup) passes SIGINT on as ignored,
 * and a JVM that starts with SIGINT ignored installs no handler for it: Ctrl+C would then do nothing
 * and the tests of Ctrl+C would fail for a reason of the runner, not of the code. coreutils' {@code
 * env --default-signal} (8.31 and later) resets it; without it the command runs as inherited.
 */
public final class TerminalSignals {
    private static final List<String> PREFIX = probe();

    private TerminalSignals() {
    }

    /** {@code command} with SIGINT reset to its default, where this host's {@code env} can do it. */
    public static List<String> withDefaultSigint(List<String> command) {
        List<String> cmd = new ArrayList<>(PREFIX);
        cmd.addAll(command);
        return cmd;
    }

    private static List<String> probe() {
        List<String> prefix = List.of("env", "--default-signal=INT");
        try {
            List<String> check = new ArrayList<>(prefix);
            check.add("true");
            Process p = new ProcessBuilder(check).start();
            return p.waitFor() == 0 ? prefix : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
