package org.videoforge.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.videoforge.testing.PackageCycles;

/** The job module's packages depend downward only: jdeps finds no cycle among them. */
class PackageLayeringTest {
    @Test
    void noPackageCycles() {
        assertEquals(List.of(), PackageCycles.of(Path.of("target/classes")), "package cycles in job");
    }
}
