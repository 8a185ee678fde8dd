package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** The npm tarballs the build fetched into target/npm (BundledModelsBuilder, see the native pom). */
final class NpmFixture {
    private static final Map<ModelPackage, PackageFiles> PACKAGES = new EnumMap<>(ModelPackage.class);

    private NpmFixture() {
    }

    static Path npmDir() {
        return Path.of(System.getProperty("videoforge.build.dir", "target"), "npm");
    }

    static Path tarball(ModelPackage pkg) {
        Path p = npmDir().resolve(pkg.tarball());
        assertTrue(Files.isRegularFile(p), p + " is missing; the build's process-classes step fetches it");
        return p;
    }

    static synchronized PackageFiles pkg(ModelPackage pkg) {
        return PACKAGES.computeIfAbsent(pkg, p -> PackageFiles.read(p, tarball(p)));
    }

    /** esrgan-slim, the smallest package: what the converter's generic tests run on. */
    static PackageFiles slim() {
        return pkg(ModelPackage.SLIM);
    }

    static BundledModel slim(int scale) {
        return BundledModel.esrgan(ModelPackage.SLIM, scale);
    }

    /** The catalogue's model {@code name}, whether or not this build bundled it. */
    static BundledModel catalogued(String name) {
        return BundledModels.CATALOGUE.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bundled model " + name));
    }
}
