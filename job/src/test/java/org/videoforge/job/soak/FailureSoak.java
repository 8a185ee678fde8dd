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
import java.util.stream.Stream;
import org.videoforge.job.cluster.FlinkRun;
import org.videoforge.job.cluster.FlinkStandaloneCluster;
import org.videoforge.testing.FfmpegCli;

/**
 * A soak of failures (a benchmark-style run, not a CI test; {@code tools/failure-soak} runs it):
 * the segmented batch job on the real standalone cluster (two one-slot TaskManagers) over a set of
 * videos, once without failures, then {@code N} times with a random TaskManager killed at a random
 * moment (kill -9, then a replacement started). After each run: the job finished, every output is
 * byte-identical to the failure-free run's, and each segment was committed exactly once (the
 * committers' log lines, counted per segment). Prints a line per run and a summary; exits 1 if any
 * run lost or duplicated anything.
 *
 * <p>{@code FailureSoak WORK_DIR N [SEED]}
 */
public final class FailureSoak {
    private static final Pattern COMMITTED = Pattern.compile("committed EncodedVideo\\{(\\S+) segment (\\d+)/");

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
        System.out.printf("failure soak: %d runs, seed %d, videos in %s%n", runs, seed, in);
        int failures = 0;
        int recovered = 0;
        try (FlinkStandaloneCluster flink = FlinkStandaloneCluster.builder().taskManagers(2)
                .workDir(Files.createDirectories(work.resolve("cluster"))).start()) {
            Run baseline = run(flink, work, in, 0, -1, random);
            System.out.println("baseline: " + baseline);
            if (!baseline.ok()) {
                System.exit(1);
            }
            for (int k = 1; k <= runs; k++) {
                long killAfter = 500 + random.nextInt((int) Math.max(1000, baseline.millis - 500));
                Run r = run(flink, work, in, k, killAfter, random);
                boolean same = r.ok() && r.sameOutputs(baseline);
                if (!same) {
                    failures++;
                } else if (r.killed) {
                    recovered++;
                }
                System.out.printf("run %d: %s; outputs %s%n", k, r, same ? "byte-identical" : "DIFFER");
            }
        }
        System.out.printf("summary: %d runs with a kill each, %d recovered with identical outputs and every segment "
                + "committed once, %d lost or duplicated something (seed %d)%n", runs, recovered, failures, seed);
        System.exit(failures == 0 ? 0 : 1);
    }

    /** One batch run; kills a random TaskManager {@code killAfterMillis} in (none if negative). */
    private static Run run(FlinkStandaloneCluster flink, Path work, Path in, int k, long killAfterMillis,
                           Random random) throws Exception {
        Path out = work.resolve("out-" + k);
        Path staging = work.resolve("staging-" + k);
        deleteTree(out);
        Files.createDirectories(out);
        int logLinesBefore = committedLines(flink).size();
        long t0 = System.nanoTime();
        FlinkRun run = flink.submitVideoForge("batch", "--input-dir", in.toString(), "--output-dir", out.toString(),
                "--staging", staging.toString(), "--segment-seconds", "1", "--backend", "cpu", "--encoder-threads", "1",
                "--parallelism", "2");
        String jobId = run.awaitJobId(Duration.ofSeconds(120));
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
        List<String> lines = committedLines(flink);
        Map<String, Integer> commits = new HashMap<>();
        for (String line : lines.subList(logLinesBefore, lines.size())) {
            Matcher m = COMMITTED.matcher(line);
            if (m.find()) {
                commits.merge(m.group(1) + "#" + m.group(2), 1, Integer::sum);
            }
        }
        Map<String, byte[]> outputs = new HashMap<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".mp4")).toList()) {
                outputs.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return new Run(exit, millis, killed, killAfterMillis, commits, outputs, exit == 0 ? "" : run.output());
    }

    /** The committers' log lines, in every TaskManager's log, in file order. */
    private static List<String> committedLines(FlinkStandaloneCluster flink) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> logs = Files.list(flink.logDir())) {
            for (Path log : logs.filter(p -> p.getFileName().toString().matches("flink-taskexecutor-.*\\.log"))
                    .sorted().toList()) {
                for (String line : Files.readAllLines(log)) {
                    if (COMMITTED.matcher(line).find()) {
                        lines.add(log.getFileName() + " " + line);
                    }
                }
            }
        }
        return lines;
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

    private record Run(int exit, long millis, boolean killed, long killAfterMillis, Map<String, Integer> commits,
                       Map<String, byte[]> outputs, String clientOutput) {
        /** Finished, a result per video, each segment committed exactly once. */
        boolean ok() {
            return exit == 0 && outputs.size() == 3 && commits.values().stream().allMatch(n -> n == 1)
                    && commits.size() == 6 + 10 + 14;
        }

        boolean sameOutputs(Run baseline) {
            if (!outputs.keySet().equals(baseline.outputs.keySet())) {
                return false;
            }
            return outputs.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), baseline.outputs.get(e.getKey())));
        }

        @Override
        public String toString() {
            long twice = commits.values().stream().filter(n -> n > 1).count();
            return String.format("exit %d in %.1f s, %s, %d outputs, %d segments committed (%d more than once)%s",
                    exit, millis / 1000.0, killed ? "TaskManager killed after " + killAfterMillis + " ms" : "no kill",
                    outputs.size(), commits.size(), twice, exit == 0 ? "" : "\n" + clientOutput);
        }
    }
}
