package org.videoforge.flink.encode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Best-effort removal of a temporary output; never throws. */
    public static void discard(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Already failing; a leftover hidden .part file does not look like a finished output.
        }
    }
}
