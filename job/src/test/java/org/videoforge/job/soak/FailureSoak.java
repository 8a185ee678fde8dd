package org.videoforge.job.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.videoforge.job.cluster.FlinkRun;
import org.videoforge.job.cluster.FlinkStandaloneCluster;
import org.videoforge.testing.FfmpegCli;

/**
 * A soak of failures (a benchmark-style run, not a CI test; {@code tools/failure-soak} runs it):
 * the segmented batch job on the real standalone cluster (two one-slot TaskManagers) over a set of
 * videos, once without failures, then {@code N} times with a random TaskManager killed at a random
 * moment (kill -9, then a replacement started), until N runs had a kill. After each run: the job finished, every output is
 * byte-identical to the failure-free run's, and each segment was committed exactly once (the
 * committers' log lines, counted per segment). Prints a line per run and a summary; exits 1 if any
 * run lost or duplicated anything.
 *
 * <p>{@code FailureSoak WORK_DIR N [SEED]}
 */
public final class FailureSoak {
    private static final Pattern COMMITTED = Pattern.compile("- committed EncodedVideo\\{(\\S+) segment (\\d+)/");
    /** SegmentCommitter's line for a segment encoded again after a restart, whose copy it discarded. */
    private static final Pattern REENCODED = Pattern.compile("- already committed EncodedVideo\\{(\\S+) segment (\\d+)/");

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
        int runs = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
        Random random = new Random(seed);
        Path in = Files.createDirectories(work.resolve("in"));
        // Three videos of 6, 10 and 14 one-second segments (96x64, 16 fps, a keyframe every 16 frames).
        for (int seconds : new int[] {6, 10, 14}) {
            Path clip = in.resolve("clip-" + seconds + "s.mp4");
            if (!Files.exists(clip)) {
                FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=16", "-f", "lavfi", "-i",
                        "sine=frequency=" + (200 + 20 * seconds), "-t", Integer.toString(seconds), "-c:v", "libx264",
                        "-g", "16", "-bf", "2", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip.toString());
            }
        }
        System.out.printf("failure soak: until %d runs had a TaskManager killed, seed %d, videos in %s%n", runs, seed, in);
        int failures = 0;
        int recovered = 0;
        int kills = 0;
        int recommitted = 0;
        int ran = 0;
        int reencodedRuns = 0;
        try (FlinkStandaloneCluster flink = FlinkStandaloneCluster.builder().taskManagers(2)
                .workDir(Files.createDirectories(work.resolve("cluster"))).start()) {
            Run baseline = run(flink, work, in, 0, -1, random);
            System.out.println("baseline: " + baseline);
            if (!baseline.finished() || !baseline.committedOnce()) {
                System.exit(1);
            }
            // Runs until N of them had a TaskManager killed (a kill drawn after the job ended kills
            // nothing), at most 3N runs; kill moments inside the last unkilled run's duration.
            long jobMillis = baseline.jobMillis;
            for (int k = 1; kills < runs && k <= 3 * runs; k++) {
                // A moment inside the job's run (after its id is known, before its last fifth, when the
                // tasks may already be finishing and no TaskManager is left to kill).
                long killAfter = 500 + random.nextInt((int) Math.max(1000, jobMillis * 4 / 5 - 500));
                Run r = run(flink, work, in, k, killAfter, random);
                ran++;
                boolean same = r.finished() && r.sameOutputs(baseline);
                kills += r.killed ? 1 : 0;
                jobMillis = r.killed ? jobMillis : r.jobMillis;
                recommitted += r.recommitted() > 0 ? 1 : 0;
                reencodedRuns += r.reencoded > 0 ? 1 : 0;
                if (!same || !r.committedOnce()) {
                    failures++;
                } else if (r.killed) {
                    recovered++;
                }
                System.out.printf("run %d: %s; outputs %s%n", k, r, same ? "byte-identical" : "DIFFER");
            }
        }
        System.out.printf("summary: %d runs, %d with a TaskManager killed, %d of those recovered with identical outputs"
                + " and every segment committed once; %d runs lost or duplicated something, %d of them by committing"
                + " segments again after a restart; %d runs encoded committed segments again after a restart (their"
                + " copies discarded, nothing published twice) (seed %d)%n", ran, kills, recovered, failures, recommitted,
                reencodedRuns, seed);
        System.exit(failures == 0 ? 0 : 1);
    }

    /** One batch run; kills a random TaskManager {@code killAfterMillis} in (none if negative). */
    private static Run run(FlinkStandaloneCluster flink, Path work, Path in, int k, long killAfterMillis,
                           Random random) throws Exception {
        Path out = work.resolve("out-" + k);
        Path staging = work.resolve("staging-" + k);
        deleteTree(out);
        Files.createDirectories(out);
        Map<String, Integer> logLinesBefore = committedLinesPerLog(flink).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
        long t0 = System.nanoTime();
        FlinkRun run = flink.submitVideoForge("batch", "--input-dir", in.toString(), "--output-dir", out.toString(),
                "--staging", staging.toString(), "--segment-seconds", "1", "--backend", "cpu", "--encoder-threads", "1",
                "--parallelism", "2");
        String jobId = run.awaitJobId(Duration.ofSeconds(120));
        long tJob = System.nanoTime();
        boolean killed = false;
        if (killAfterMillis >= 0) {
            Thread.sleep(killAfterMillis);
            if (run.isAlive()) {
                List<Integer> tms = flink.taskManagersOf(jobId);
                if (!tms.isEmpty()) {
                    flink.killTaskManager(tms.get(random.nextInt(tms.size())));
                    flink.startTaskManager();
                    killed = true;
                }
            }
        }
        int exit = run.awaitExit(Duration.ofMinutes(10));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long jobMillis = (System.nanoTime() - tJob) / 1_000_000;
        // This run's lines: each log's lines past its count before the run (a restarted TaskManager's
        // log is new, and an older log can grow while a newer one sorts after it).
        Map<String, Integer> commits = new HashMap<>();
        int reencoded = 0;
        for (Map.Entry<String, List<String>> log : committedLinesPerLog(flink).entrySet()) {
            List<String> lines = log.getValue();
            for (String line : lines.subList(logLinesBefore.getOrDefault(log.getKey(), 0), lines.size())) {
                Matcher m = COMMITTED.matcher(line);
                if (m.find()) {
                    commits.merge(m.group(1) + "#" + m.group(2), 1, Integer::sum);
                } else if (REENCODED.matcher(line).find()) {
                    reencoded++;
                }
            }
        }
        Map<String, byte[]> outputs = new HashMap<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".mp4")).toList()) {
                outputs.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return new Run(exit, millis, jobMillis, killed, killAfterMillis, commits, reencoded, outputs,
                exit == 0 ? "" : run.output());
    }

    /** The committers' log lines (commits and discarded copies) of every TaskManager's log, by log file. */
    private static Map<String, List<String>> committedLinesPerLog(FlinkStandaloneCluster flink) throws IOException {
        Map<String, List<String>> byLog = new HashMap<>();
        try (Stream<Path> logs = Files.list(flink.logDir())) {
            for (Path log : logs.filter(p -> p.getFileName().toString().matches("flink-taskexecutor-.*\\.log")).toList()) {
                List<String> lines = new ArrayList<>();
                for (String line : Files.readAllLines(log)) {
                    if (COMMITTED.matcher(line).find() || REENCODED.matcher(line).find()) {
                        lines.add(line);
                    }
                }
                byLog.put(log.getFileName().toString(), lines);
            }
        }
        return byLog;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private record Run(int exit, long millis, long jobMillis, boolean killed, long killAfterMillis,
                       Map<String, Integer> commits, int reencoded, Map<String, byte[]> outputs,
                       String clientOutput) {
        /** Finished with a result per video. */
        boolean finished() {
            return exit == 0 && outputs.size() == 3;
        }

        /** Every segment committed, each exactly once. */
        boolean committedOnce() {
            return commits.size() == 6 + 10 + 14 && recommitted() == 0;
        }

        /** Segments committed more than once (encoded again after a restart and renamed in again). */
        long recommitted() {
            return commits.values().stream().filter(n -> n > 1).count();
        }

        boolean sameOutputs(Run baseline) {
            if (!outputs.keySet().equals(baseline.outputs.keySet())) {
                return false;
            }
            return outputs.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), baseline.outputs.get(e.getKey())));
        }

        @Override
        public String toString() {
            return String.format("exit %d in %.1f s, %s, %d outputs, %d segments committed (%d more than once; %d encoded"
                            + " again after a restart, the copy discarded)%s",
                    exit, millis / 1000.0, killed ? "TaskManager killed after " + killAfterMillis + " ms"
                            : killAfterMillis < 0 ? "no kill" : "no kill (the job had ended)",
                    outputs.size(), commits.size(), recommitted(), reencoded, exit == 0 ? "" : "\n" + clientOutput);
        }
    }
}
