package org.videoforge.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Java program started as its own OS process (a JobManager, a TaskManager, a Kafka broker, the
 * flink client), its stdout and stderr going to a file. Every live child is also killed by a
 * shutdown hook of the test JVM, so that none outlives the build even if a test forgets close().
 */
final class ChildJvm implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "videoforge-child-jvm-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path output;

    private ChildJvm(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code java <jvmArgs> -cp <classpath> <mainClass> <args>} in {@code workDir}, with
     * stdout and stderr appended to {@code output}.
     */
    static ChildJvm start(String name, List<String> jvmArgs, List<Path> classpath, String mainClass, List<String> args,
                          Path workDir, Path output, Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
        cmd.add(mainClass);
        cmd.addAll(args);
        try {
            Files.createDirectories(output.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            LIVE.add(p);
            p.onExit().thenRun(() -> LIVE.remove(p));
            return new ChildJvm(name, p, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Runs a short-lived Java program to completion and returns its output; fails on a non-zero exit. */
    static String run(String name, List<String> jvmArgs, List<Path> classpath, String mainClass, List<String> args,
                      Path workDir, Path output, Map<String, String> env, Duration timeout) {
        try (ChildJvm jvm = start(name, jvmArgs, classpath, mainClass, args, workDir, output, env)) {
            int code = jvm.awaitExit(timeout);
            if (code != 0) {
                throw new IllegalStateException(name + " exited with " + code + ":\n" + jvm.tail(60));
            }
            return jvm.output();
        }
    }

    static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    Path outputFile() {
        return output;
    }

    /** Waits for the process to end; on timeout kills it and throws. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not exit within " + timeout + "; killed it. Last output:\n"
                        + tail(60));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    /** kill -9, and waits (bounded) until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Everything the process wrote to stdout/stderr so far. */
    String output() {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of {@code file}, for failure messages. */
    static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no " + file + ")";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return "--- " + file + " (last " + Math.min(lines, all.size()) + " lines)\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    String tail(int lines) {
        return tail(output, lines);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Splits a JVM options string the way the Flink scripts' unquoted expansion does (on whitespace). */
    static List<String> splitOptions(String options) {
        if (options == null || options.isBlank()) {
            return Collections.emptyList();
        }
        return Arrays.stream(options.trim().split("\\s+")).collect(Collectors.toList());
    }

    /** Deletes a directory tree, best effort (the processes writing into it are already gone). */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Collections.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort.
                }
            });
        } catch (IOException ignored) {
            // Best effort.
        }
    }
}
