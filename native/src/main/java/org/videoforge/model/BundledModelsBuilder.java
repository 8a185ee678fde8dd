package org.videoforge.model;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.videoforge.frame.Precision;

/**
 * Build step (exec-maven-plugin, process-classes): converts the esrgan-slim tarball into the
 * bundled models, {@code <out>/esrgan-slim-x{2,3,4,8}-{fp32,fp16}.onnx}. Up-to-date outputs,
 * newer than both the tarball and this package's compiled classes, are left alone.
 *
 * <p>Usage: {@code BundledModelsBuilder <upscalerjs-esrgan-slim-1.0.0.tgz> <out dir>}
 */
public final class BundledModelsBuilder {
    private BundledModelsBuilder() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: BundledModelsBuilder <esrgan-slim tgz> <out dir>");
        }
        Path tgz = Path.of(args[0]);
        Path out = Path.of(args[1]);
        if (!Files.isRegularFile(tgz)) {
            throw new IllegalArgumentException("no such file: " + tgz + " (npm pack " + EsrganSlimPackage.NPM_SPEC + ")");
        }
        long inputsTime = Math.max(Files.getLastModifiedTime(tgz).toMillis(), newestClassTime());
        Files.createDirectories(out);
        EsrganSlimPackage pkg = null;
        for (int scale : EsrganSlimPackage.SCALES) {
            for (Precision p : Precision.values()) {
                Path target = out.resolve(BundledModels.fileName(EsrganSlimPackage.modelName(scale), p));
                if (Files.isRegularFile(target) && Files.getLastModifiedTime(target).toMillis() > inputsTime) {
                    continue;
                }
                if (pkg == null) {
                    pkg = EsrganSlimPackage.read(tgz);
                }
                // Write then rename, so an interrupted build never leaves a truncated "fresh" model.
                Path tmp = out.resolve(target.getFileName() + ".part");
                Files.write(tmp, pkg.toOnnx(scale, p));
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
