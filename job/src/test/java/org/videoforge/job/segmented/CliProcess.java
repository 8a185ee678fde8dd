package org.videoforge.job.segmented;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.videoforge.job.VideoForge;
import org.videoforge.job.cluster.BuildPaths;
import org.videoforge.job.testing.TerminalSignals;

/**
 * The CLI as its own process, as {@code bin/videoforge} runs it (the same JVM options and
 * classpath, stdout and stderr appended to a log file), so that it can be killed with
 * {@code kill -9} or interrupted with SIGINT like a user's terminal would. Logs at INFO, so that the
 * log shows each segment encoded and committed.
 */
final class CliProcess implements AutoCloseable {
    /** Children still running when the test JVM exits (a failed test that skipped close()) are killed. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "videoforge-cli-process-reaper"));
    }

    private final Process process;
    private final Path log;
    private final long logStart;

    private CliProcess(Process process, Path log, long logStart) {
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /** {@code videoforge <args>}, its output appended to {@code log}. */
    static CliProcess start(Path log, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("@" + BuildPaths.repositoryRoot().resolve("bin").resolve("flink-jvm.options"));
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(VideoForge.class.getName());
        cmd.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            long start = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder pb = new ProcessBuilder(TerminalSignals.withDefaultSigint(cmd)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("VIDEOFORGE_LOG_LEVEL", "INFO");
            Process p = pb.start();
            note(log, "started pid " + p.pid());
            LIVE.add(p);
            p.onExit().thenRun(() -> LIVE.remove(p));
            return new CliProcess(p, log, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A line of the test's own in the log, so that the log tells what happened when. */
    private static void note(Path log, String what) {
        try {
            Files.writeString(log, "=== " + LocalTime.now() + " test: " + what + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** bin/videoforge's: the job's classes and its runtime classpath (written by the build). */
    private static String classpath() {
        try {
            return BuildPaths.buildDir().resolve("classes") + File.pathSeparator
                    + Files.readString(BuildPaths.buildDir().resolve("runtime-classpath.txt")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("job/target/runtime-classpath.txt is written by the build", e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What this process wrote so far (not what earlier processes appended to the same log). */
    String output() {
        try {
            byte[] all = Files.readAllBytes(log);
            return new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The last lines of its output, for failure messages. */
    String tail(int lines) {
        List<String> all = output().lines().toList();
        return "--- " + log + " (last " + Math.min(lines, all.size()) + " lines of pid " + pid() + ")\n"
                + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Waits until its output contains {@code text}; fails if it exits first or the time runs out. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("exited with " + process.exitValue() + " before printing '" + text + "'\n"
                        + tail(80));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' within " + timeout + "\n" + tail(80));
            }
            Thread.sleep(100);
        }
    }

    /** Sends a signal as a terminal or an operator would ({@code kill -INT}, {@code kill -TERM}). */
    void signal(String name) throws IOException, InterruptedException {
        // Pids are reused: signal only a process that is still ours and running.
        if (!process.isAlive()) {
            throw new AssertionError("pid " + process.pid() + " exited with " + process.exitValue() + " before kill -"
                    + name + "\n" + tail(60));
        }
        note(log, "kill -" + name + " " + process.pid());
        int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + rc);
        }
    }

    /** kill -9, and waits until it is gone. */
    void kill() throws InterruptedException {
        note(log, "kill -9 " + process.pid());
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Its exit code; fails if it does not exit within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + "\n" + tail(80));
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
