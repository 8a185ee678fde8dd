package org.videoforge.model;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.videoforge.frame.Precision;

/**
 * Build step (exec-maven-plugin, process-classes): fetches the npm tarballs of the given
 * {@link ModelPackage packages} ({@code npm pack}, once: a tarball already in the folder is kept)
 * and converts their {@link BundledModels#CATALOGUE} entries, {@code <out>/<name>-{fp32,fp16}.onnx}.
 * A token may also name one model of the catalogue or of {@link BundledModels#UNBUNDLED} (e.g. for
 * tools/quality-benchmark). Up-to-date outputs, newer than their tarball and this package's compiled
 * classes, are left alone.
 *
 * <p>Usage: {@code BundledModelsBuilder <npm tarball dir> <out dir> <packages or models, e.g. "slim medium isr">}
 */
public final class BundledModelsBuilder {
    private BundledModelsBuilder() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: BundledModelsBuilder <npm tarball dir> <out dir> <packages or models>");
        }
        Set<ModelPackage> packages = EnumSet.noneOf(ModelPackage.class);
        List<BundledModel> models = new ArrayList<>();
        for (String token : args[2].trim().split("[\\s,]+")) {
            Optional<ModelPackage> pkg = Stream.of(ModelPackage.values()).filter(p -> p.id().equals(token)).findFirst();
            if (pkg.isPresent()) {
                packages.add(pkg.get());
                BundledModels.CATALOGUE.stream().filter(m -> m.pkg() == pkg.get()).forEach(models::add);
                continue;
            }
            BundledModel model = Stream.concat(BundledModels.CATALOGUE.stream(), BundledModels.UNBUNDLED.stream())
                    .filter(m -> m.name().equals(token)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no model package or model " + token));
            packages.add(model.pkg());
            models.add(model);
        }
        Path npm = Path.of(args[0]);
        for (ModelPackage p : packages) {
            fetch(p, npm);
        }
        build(npm, Path.of(args[1]), models);
    }

    /** {@code npm pack} of the package into {@code npm}, unless its tarball is there. */
    static void fetch(ModelPackage pkg, Path npm) throws IOException, InterruptedException {
        if (Files.isRegularFile(npm.resolve(pkg.tarball()))) {
            return;
        }
        Files.createDirectories(npm);
        Process p = new ProcessBuilder("npm", "pack", pkg.npmSpec(), "--pack-destination", npm.toString(), "--silent")
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !Files.isRegularFile(npm.resolve(pkg.tarball()))) {
            throw new IOException("npm pack " + pkg.npmSpec() + " failed: " + log.strip());
        }
    }

    /** Converts {@code models} from the tarballs in {@code npm} into {@code out}. */
    static void build(Path npm, Path out, List<BundledModel> models) throws IOException {
        for (BundledModel m : models) {
            if (!Files.isRegularFile(npm.resolve(m.pkg().tarball()))) {
                throw new IllegalArgumentException("no such file: " + npm.resolve(m.pkg().tarball())
                        + " (npm pack " + m.pkg().npmSpec() + ")");
            }
        }
        long classTime = newestClassTime();
        Files.createDirectories(out);
        Map<ModelPackage, PackageFiles> packages = new EnumMap<>(ModelPackage.class);
        for (BundledModel m : models) {
            Path tgz = npm.resolve(m.pkg().tarball());
            long inputsTime = Math.max(Files.getLastModifiedTime(tgz).toMillis(), classTime);
            for (Precision p : Precision.values()) {
                Path target = out.resolve(BundledModels.fileName(m.name(), p));
                if (Files.isRegularFile(target) && Files.getLastModifiedTime(target).toMillis() > inputsTime) {
                    continue;
                }
                PackageFiles pkg = packages.computeIfAbsent(m.pkg(), f -> PackageFiles.read(f, tgz));
                // Write then rename, so an interrupted build never leaves a truncated "fresh" model.
                Path tmp = out.resolve(target.getFileName() + ".part");
                Files.write(tmp, pkg.toOnnx(m, p));
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
