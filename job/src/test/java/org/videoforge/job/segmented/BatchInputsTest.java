package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/** What a batch run picks up from a manifest, a directory and a glob, and where each output goes. */
class BatchInputsTest {
    @TempDir
    Path dir;

    private void touch(String... names) throws IOException {
        for (String n : names) {
            Path p = dir.resolve(n);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {0});
        }
    }

    @Test
    void aManifestNamesInputsRelativeToItselfWithOptionalOutputs() throws IOException {
        Path manifest = dir.resolve("list.txt");
        Files.write(manifest, List.of("# comment", "", "a.mp4", "sub/b.mkv   out/b-x2.mkv"));
        List<BatchInputs.Item> items = BatchInputs.fromManifest(manifest, dir.resolve("outdir"), "-x2");
        assertEquals(2, items.size());
        assertEquals(dir.resolve("a.mp4"), items.get(0).input());
        assertEquals(dir.resolve("outdir/a-x2.mp4"), items.get(0).output());
        assertEquals("list.txt:3", items.get(0).origin());
        assertEquals(dir.resolve("out/b-x2.mkv"), items.get(1).output());
    }

    @Test
    void aManifestLineWithoutAnOutputNeedsTheOutputDirectory() throws IOException {
        Path manifest = dir.resolve("list.txt");
        Files.write(manifest, List.of("a.mp4"));
        EngineError e = assertThrows(EngineError.class, () -> BatchInputs.fromManifest(manifest, null, "-x2"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void aDirectoryGivesItsVideoFilesInOrder() throws IOException {
        touch("in/b.mp4", "in/a.MKV", "in/notes.txt", "in/deep/c.webm");
        List<BatchInputs.Item> items = BatchInputs.fromDirectory(dir.resolve("in"), dir.resolve("out"), "-up");
        assertEquals(List.of(dir.resolve("in/a.MKV"), dir.resolve("in/b.mp4"), dir.resolve("in/deep/c.webm")),
                items.stream().map(BatchInputs.Item::input).toList());
        assertEquals(dir.resolve("out/c-up.webm"), items.get(2).output());
    }

    @Test
    void aGlobIsMatchedFromTheWorkingDirectory() throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = Files.createTempDirectory(cwd.resolve("target"), "glob-");
        try {
            Files.createDirectories(root.resolve("x"));
            Files.write(root.resolve("x/one.mp4"), new byte[] {0});
            Files.write(root.resolve("x/two.mov"), new byte[] {0});
            String pattern = cwd.relativize(root) + "/**.mp4";
            List<BatchInputs.Item> items = BatchInputs.fromGlob(pattern, dir, "-up");
            assertEquals(List.of(root.resolve("x/one.mp4")), items.stream().map(BatchInputs.Item::input).toList());
        } finally {
            Files.delete(root.resolve("x/one.mp4"));
            Files.delete(root.resolve("x/two.mov"));
            Files.delete(root.resolve("x"));
            Files.delete(root);
        }
    }
}
