package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledModelsBuilderTest {
    private static final List<BundledModel> SLIM = BundledModels.CATALOGUE.stream()
            .filter(m -> m.pkg() == ModelPackage.SLIM).toList();

    @Test
    void writesAllModelsAndSkipsUpToDateOnes(@TempDir Path dir) throws IOException {
        Path npm = Files.createDirectory(dir.resolve("npm"));
        Path tgz = Files.copy(NpmFixture.tarball(ModelPackage.SLIM), npm.resolve(ModelPackage.SLIM.tarball()));
        Files.setLastModifiedTime(tgz, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path out = dir.resolve("models");
        BundledModelsBuilder.build(npm, out, SLIM);
        assertEquals(List.of("esrgan-slim-x2-fp16.onnx", "esrgan-slim-x2-fp32.onnx", "esrgan-slim-x3-fp16.onnx",
                "esrgan-slim-x3-fp32.onnx", "esrgan-slim-x4-fp16.onnx", "esrgan-slim-x4-fp32.onnx",
                "esrgan-slim-x8-fp16.onnx", "esrgan-slim-x8-fp32.onnx"), list(out));

        Path x2 = out.resolve("esrgan-slim-x2-fp32.onnx");
        FileTime stamp = FileTime.fromMillis(System.currentTimeMillis() + 60_000); // newer than every input
        Files.setLastModifiedTime(x2, stamp);
        BundledModelsBuilder.build(npm, out, SLIM);
        assertEquals(stamp, Files.getLastModifiedTime(x2), "an up-to-date model was rewritten");

        Files.setLastModifiedTime(tgz, FileTime.fromMillis(stamp.toMillis() + 60_000)); // a newer package
        BundledModelsBuilder.build(npm, out, SLIM);
        assertNotEquals(stamp, Files.getLastModifiedTime(x2), "a stale model was kept");
    }

    @Test
    void missingTarballFails(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundledModelsBuilder.build(dir, dir.resolve("models"), SLIM));
        assertTrue(e.getMessage().contains("npm pack @upscalerjs/esrgan-slim@1.0.0"), e.getMessage());
    }

    @Test
    void unknownPackageOrModelFails(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BundledModelsBuilder.main(
                new String[] {dir.toString(), dir.resolve("models").toString(), "slim no-such-model"}));
        assertTrue(e.getMessage().contains("no model package or model no-such-model"), e.getMessage());
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
