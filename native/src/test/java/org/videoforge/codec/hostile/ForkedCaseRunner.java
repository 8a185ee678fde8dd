package org.videoforge.codec.hostile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs corpus cases in a child JVM ({@link CaseRunnerMain}) with a time bound per case. A case that
 * kills the JVM is a CRASH and one that outlives its bound a HANG, each named, and the remaining
 * cases go on in a fresh child: one bad case cannot take the test run down with it.
 */
final class ForkedCaseRunner {
    private static final String EOF = "\u0000EOF";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final List<String> launcher;
    private final Duration perCase;
    private final long poolLimitBytes;
    private final Duration stallDeadline;
    private int children;

    /**
     * @param launcher command words before {@code java} (e.g. {@code unshare ... sh -c ...}), may be empty
     * @param poolLimitBytes the child's pool ceiling (MemoryBudget), 0 for none
     */
    ForkedCaseRunner(List<String> launcher, Duration perCase, long poolLimitBytes, Duration stallDeadline) {
        this.launcher = List.copyOf(launcher);
        this.perCase = perCase;
        this.poolLimitBytes = poolLimitBytes;
        this.stallDeadline = stallDeadline;
    }

    /** Every case's outcome, in case order; outputs go to {@code outDir}, child logs to {@code workDir}. */
    Map<String, CaseOutcome> run(List<CorpusCase> cases, Path workDir, Path outDir) throws IOException {
        Map<String, CaseOutcome> results = new LinkedHashMap<>();
        List<CorpusCase> remaining = new ArrayList<>(cases);
        while (!remaining.isEmpty()) {
            int before = results.size();
            runChild(remaining, workDir, outDir, results);
            remaining.removeIf(c -> results.containsKey(c.name()));
            if (results.size() == before) {
                throw new IllegalStateException("child JVM " + children + " ended without finishing or naming a case");
            }
        }
        return results;
    }

    /** Child JVMs started so far (1 when no case crashed or hung). */
    int children() {
        return children;
    }

    private void runChild(List<CorpusCase> cases, Path workDir, Path outDir, Map<String, CaseOutcome> results)
            throws IOException {
        int n = ++children;
        Path caseFile = workDir.resolve("cases-" + n + ".tsv");
        CorpusCase.writeAll(caseFile, cases);
        Path log = workDir.resolve("child-" + n + ".log");
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), CaseRunnerMain.class.getName(),
                caseFile.toString(), outDir.toString(), Long.toString(poolLimitBytes),
                Long.toString(stallDeadline.toMillis())));
        Process child = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> pump(child, lines), "corpus-child-" + n);
        reader.setDaemon(true);
        reader.start();
        String current = null;
        long since = System.nanoTime();
        try {
            while (true) {
                Duration bound = current == null ? STARTUP : perCase;
                long left = bound.toNanos() - (System.nanoTime() - since);
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    if (current == null) {
                        throw new IllegalStateException("child JVM " + n + " started no case in " + STARTUP
                                + "; log: " + tail(log));
                    }
                    results.put(current, CaseOutcome.lost(current, "HANG", "no result within " + perCase));
                    return;
                }
                if (line.equals(EOF) || line.equals("DONE")) {
                    if (current != null) {
                        child.waitFor(10, TimeUnit.SECONDS);
                        results.put(current, CaseOutcome.lost(current, "CRASH", "the child JVM died (exit "
                                + (child.isAlive() ? "?" : child.exitValue()) + "): " + tail(log)));
                    } else if (line.equals(EOF) && results.isEmpty()) {
                        throw new IllegalStateException("child JVM " + n + " died before any case: " + tail(log));
                    }
                    return;
                }
                if (line.startsWith("BEGIN\t")) {
                    current = line.substring(6);
                    since = System.nanoTime();
                } else if (line.startsWith("END\t")) {
                    CaseOutcome o = CaseOutcome.parse(line);
                    results.put(o.name(), o);
                    current = null;
                    since = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            child.destroyForcibly();
        }
    }

    private static void pump(Process child, BlockingQueue<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the child was killed: EOF below
        }
        lines.add(EOF);
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
