package org.videoforge.codec.hostile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A launcher prefix that runs a command with a small tmpfs mounted over a directory, in a private
 * mount namespace: {@code unshare --user --map-root-user --mount} (no real root needed where user
 * namespaces are allowed), else {@code unshare --mount} (root). Only the child sees the mount.
 */
final class PrivateTmpfs {
    private PrivateTmpfs() {
    }

    /** Words to put before the command; throws when this machine allows neither way. */
    static List<String> over(Path mountPoint, String mountOptions) {
        String script = "mount -t tmpfs -o " + mountOptions + " videoforge-test \"$0\" && exec \"$@\"";
        for (List<String> unshare : List.of(List.of("unshare", "--user", "--map-root-user", "--mount"),
                List.of("unshare", "--mount"))) {
            List<String> cmd = new ArrayList<>(unshare);
            cmd.addAll(List.of("sh", "-c", script, mountPoint.toString()));
            if (works(cmd)) {
                return cmd;
            }
        }
        throw new IllegalStateException("cannot mount a private tmpfs here: neither `unshare --user "
                + "--map-root-user --mount` nor `unshare --mount` works (util-linux unshare and user namespaces "
                + "or root are needed)");
    }

    private static boolean works(List<String> prefix) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add("true");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
