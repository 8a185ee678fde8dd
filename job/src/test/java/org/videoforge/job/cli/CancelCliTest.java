package org.videoforge.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.job.testing.TerminalSignals;
import org.videoforge.testing.FfmpegCli;

/** Ctrl+C on the real launcher: the job is cancelled and nothing that looks like output remains. */
class CancelCliTest {
    private static final Path LAUNCHER = Paths.get("..", "bin", "videoforge");

    @TempDir
    Path dir;

    @Test
    void sigintCancelsAndLeavesNoOutput() throws Exception {
        FfmpegCli.assumeInstalled();
        assumeTrue(Files.isExecutable(LAUNCHER) && Files.exists(Paths.get("target", "runtime-classpath.txt")),
                "launcher or built classpath missing");
        Path out = dir.resolve("cancelled.mp4");
        Process p = new ProcessBuilder(TerminalSignals.withDefaultSigint(List.of(LAUNCHER.toString(), "-i",
                SampleVideoCliTest.SAMPLE.toString(), "-o", out.toString(), "-m", "esrgan-slim-x4", "--no-progress")))
                .redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                log.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // process ended
            }
        });
        reader.start();
        // Wait until the job is running and has produced a temporary output, then press Ctrl+C.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!hasPartFile() && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(200);
        }
        assertTrue(hasPartFile(), "the encoder started writing a temporary file");
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            String threads = threadDump(p.pid());
            p.destroyForcibly();
            reader.join(5000);
            fail("no exit within 60 s of Ctrl+C\n--- output\n" + log + "\n--- threads\n" + threads);
        }
        reader.join(5000);
        assertEquals(130, p.exitValue(), log.toString());
        assertTrue(log.toString().contains("E5001 CANCELLED"), log.toString());
        assertFalse(Files.exists(out), "no output");
        assertFalse(hasPartFile(), "temporary file deleted:\n" + log);
    }

    /** The JVM's threads, to say where a cancellation hung (the JDK's jcmd; empty if it cannot). */
    private static String threadDump(long pid) {
        try {
            Process jcmd = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private boolean hasPartFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".part"));
        }
    }
}
