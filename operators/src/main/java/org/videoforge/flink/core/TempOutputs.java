package org.videoforge.flink.core;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Where unfinished outputs live: a hidden ".part" file beside the final output (same filesystem,
 * so publishing is an atomic rename). A cancelled or failed run leaves nothing that looks complete.
 */
public final class TempOutputs {
    private TempOutputs() {
    }

    public static Path tempFor(Path finalOutput) {
        String name = finalOutput.getFileName().toString();
        return finalOutput.resolveSibling("." + name + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
    }

    /** Renames {@code from} to {@code to} in one atomic step where the filesystem can (replacing it). */
    public static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Best-effort removal of a temporary output; never throws. */
    public static void discard(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Already failing; a leftover hidden .part file does not look like a finished output.
        }
    }
}
