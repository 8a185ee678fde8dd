package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.frame.Precision;

class GenerateModelsTest {

    @Test
    void writesNamedModelFiles(@TempDir Path dir) throws IOException {
        List<Path> written = GenerateModels.run(new String[] {
                "--out", dir.toString(), "--precision", "fp16", "--models", "compact-x2,esrgan-slim-x2", "--seed", "5"});
        assertEquals(List.of(dir.resolve("compact-x2-fp16.onnx"), dir.resolve("esrgan-slim-x2-fp16.onnx")), written);
        assertArrayEquals(SrVggNetCompact.build(2, Precision.FP16, 5), Files.readAllBytes(written.get(0)));
        assertArrayEquals(BundledModels.load("esrgan-slim-x2", Precision.FP16).orElseThrow(),
                Files.readAllBytes(written.get(1)));
    }

    @Test
    void rejectsBadArguments(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> GenerateModels.run(new String[] {"--models", "compact-x2"}));
        assertThrows(IllegalArgumentException.class,
                () -> GenerateModels.run(new String[] {"--out", dir.toString(), "--models", "vgg-x2"}));
        assertThrows(IllegalArgumentException.class, () -> GenerateModels.run(new String[] {"--out"}));
    }
}
