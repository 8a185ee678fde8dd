package org.videoforge.codec.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.ErrorCode;
import org.videoforge.testing.FfmpegCli;

/**
 * Output faults through the same native path and child JVM as the corpus: a full disk, a
 * read-only filesystem (tests run as root, so permission bits would not stop a write: the
 * filesystem itself refuses) and an output "directory" that is a regular file. Each is its coded
 * error, with every lease and FFmpeg context given back and no temporary file left.
 */
class OutputFaultTest {
    @TempDir
    Path dir;
    private CorpusCase clip;

    @BeforeEach
    void clip() {
        FfmpegCli.assumeInstalled();
        Path in = dir.resolve("in.mp4");
        // 320x240 upscaled to 640x480: a few hundred KB of output, far more than the 64 KB disk.
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=24:duration=1", "-f", "lavfi", "-i",
                "anoisesrc=duration=1:sample_rate=48000", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                in.toString());
        clip = CorpusCase.output("clip", in, null, 24);
    }

    @Test
    void fullDiskIsOutputDiskFull() throws IOException {
        Path out = Files.createDirectory(dir.resolve("small-disk"));
        CaseOutcome o = runUnder(PrivateTmpfs.over(out, "size=64k"), out);
        assertEquals("ERROR", o.kind(), o.toString());
        assertEquals(ErrorCode.OUTPUT_DISK_FULL.number(), o.code(), o.toString());
        assertTrue(o.leftNothing(), o.toString());
    }

    @Test
    void readOnlyFilesystemIsOutputWriteFailed() throws IOException {
        Path out = Files.createDirectory(dir.resolve("read-only"));
        CaseOutcome o = runUnder(PrivateTmpfs.over(out, "ro,size=1m"), out);
        assertEquals(ErrorCode.OUTPUT_WRITE_FAILED.number(), o.code(), o.toString());
        assertTrue(o.leftNothing(), o.toString());
    }

    @Test
    void outputUnderARegularFileIsOutputWriteFailed() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "I am a file");
        CaseOutcome o = runUnder(List.of(), notADirectory);
        assertEquals(ErrorCode.OUTPUT_WRITE_FAILED.number(), o.code(), o.toString());
        assertTrue(o.message().contains("is not a directory"), o.toString());
        assertTrue(o.leftNothing(), o.toString());
    }

    private CaseOutcome runUnder(List<String> launcher, Path outDir) throws IOException {
        ForkedCaseRunner runner = new ForkedCaseRunner(launcher, Duration.ofSeconds(60), 0, Duration.ofSeconds(20));
        return runner.run(List.of(clip), dir, outDir).get("clip");
    }
}
