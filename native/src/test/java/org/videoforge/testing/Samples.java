package org.videoforge.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The repository's bundled sample, found from any working directory (module dir under Maven, repo root in the GPU bundle). */
public final class Samples {
    private Samples() {
    }

    public static Path sample640x360() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("samples").resolve("sample-640x360.mp4");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("samples/sample-640x360.mp4 not found above " + Paths.get("").toAbsolutePath());
    }
}
