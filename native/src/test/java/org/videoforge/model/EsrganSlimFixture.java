package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The npm tarball the build fetched into target/npm (see the exec-maven-plugin setup in pom.xml). */
final class EsrganSlimFixture {
    private static EsrganSlimPackage pkg;

    private EsrganSlimFixture() {
    }

    static Path tarball() {
        Path p = Path.of(System.getProperty("videoforge.build.dir", "target"), "npm", EsrganSlimPackage.TARBALL);
        assertTrue(Files.isRegularFile(p), p + " is missing; the build's generate-resources step fetches it");
        return p;
    }

    static synchronized EsrganSlimPackage pkg() {
        if (pkg == null) {
            pkg = EsrganSlimPackage.read(tarball());
        }
        return pkg;
    }
}
