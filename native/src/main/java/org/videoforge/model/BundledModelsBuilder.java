package org.videoforge.model;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.videoforge.frame.Precision;

/**
 * Build step (exec-maven-plugin, process-classes): converts the npm tarballs of the given
 * {@link EsrganFamily families} into their {@link BundledModels#CATALOGUE} entries,
 * {@code <out>/<name>-{fp32,fp16}.onnx}. Up-to-date outputs, newer than their tarball and this
 * package's compiled classes, are left alone.
 *
 * <p>Usage: {@code BundledModelsBuilder <folder with the npm tarballs> <out dir> <families, e.g. "slim medium">}
 */
public final class BundledModelsBuilder {
    private BundledModelsBuilder() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: BundledModelsBuilder <npm tarball dir> <out dir> <families>");
        }
        Set<EsrganFamily> families = EnumSet.noneOf(EsrganFamily.class);
        for (String f : args[2].trim().split("[\\s,]+")) {
            families.add(EsrganFamily.valueOf(f.toUpperCase(Locale.ROOT)));
        }
        build(Path.of(args[0]), Path.of(args[1]),
                BundledModels.CATALOGUE.stream().filter(m -> families.contains(m.family())).toList());
    }

    /** Converts {@code models} from the tarballs in {@code npm} into {@code out}. */
    static void build(Path npm, Path out, List<BundledModel> models) throws IOException {
        for (EsrganFamily f : EsrganFamily.values()) {
            if (models.stream().anyMatch(m -> m.family() == f) && !Files.isRegularFile(npm.resolve(f.tarball()))) {
                throw new IllegalArgumentException("no such file: " + npm.resolve(f.tarball())
                        + " (npm pack " + f.npmSpec() + ")");
            }
        }
        long classTime = newestClassTime();
        Files.createDirectories(out);
        Map<EsrganFamily, EsrganPackage> packages = new EnumMap<>(EsrganFamily.class);
        for (BundledModel m : models) {
            Path tgz = npm.resolve(m.family().tarball());
            long inputsTime = Math.max(Files.getLastModifiedTime(tgz).toMillis(), classTime);
            for (Precision p : Precision.values()) {
                Path target = out.resolve(BundledModels.fileName(m.name(), p));
                if (Files.isRegularFile(target) && Files.getLastModifiedTime(target).toMillis() > inputsTime) {
                    continue;
                }
                EsrganPackage pkg = packages.computeIfAbsent(m.family(), f -> EsrganPackage.read(f, tgz));
                // Write then rename, so an interrupted build never leaves a truncated "fresh" model.
                Path tmp = out.resolve(target.getFileName() + ".part");
                Files.write(tmp, pkg.toOnnx(m.scale(), p));
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** The newest class file of this package, so that a changed converter regenerates the models. */
    private static long newestClassTime() throws IOException {
        Path location;
        try {
            location = Path.of(BundledModelsBuilder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException | SecurityException e) {
            return Long.MAX_VALUE; // unknown: always regenerate
        }
        if (!Files.isDirectory(location)) {
            return Files.getLastModifiedTime(location).toMillis();
        }
        Path dir = location.resolve(BundledModelsBuilder.class.getPackageName().replace('.', '/'));
        long newest = 0;
        try (Stream<Path> classes = Files.list(dir)) {
            for (Path c : (Iterable<Path>) classes::iterator) {
                newest = Math.max(newest, Files.getLastModifiedTime(c).toMillis());
            }
        }
        return newest;
    }
}
