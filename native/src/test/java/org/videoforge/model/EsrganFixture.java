package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** The npm tarballs the build fetched into target/npm (see the exec-maven-plugin setup in pom.xml). */
final class EsrganFixture {
    private static final Map<EsrganFamily, EsrganPackage> PACKAGES = new EnumMap<>(EsrganFamily.class);

    private EsrganFixture() {
    }

    static Path npmDir() {
        return Path.of(System.getProperty("videoforge.build.dir", "target"), "npm");
    }

    static Path tarball(EsrganFamily family) {
        Path p = npmDir().resolve(family.tarball());
        assertTrue(Files.isRegularFile(p), p + " is missing; the build's generate-resources step fetches it");
        return p;
    }

    static synchronized EsrganPackage pkg(EsrganFamily family) {
        return PACKAGES.computeIfAbsent(family, f -> EsrganPackage.read(f, tarball(f)));
    }

    /** esrgan-slim, the smallest package: what the converter's generic tests run on. */
    static EsrganPackage slim() {
        return pkg(EsrganFamily.SLIM);
    }
}
