package org.videoforge.job.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.videoforge.contract.UpscaleRequest;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.flink.request.AvroCodec;
import org.videoforge.job.cluster.BuildPaths;
import org.videoforge.job.cluster.FlinkRun;
import org.videoforge.job.cluster.FlinkStandaloneCluster;
import org.videoforge.job.cluster.KafkaBroker;
import org.videoforge.job.segmented.TopicClient;
import org.videoforge.testing.FfmpegCli;

/**
 * One long video through the segmented jobs on the real standalone cluster, CPU backend: 1 vs 2
 * TaskManagers (one slot, one inference thread each), the streaming job with checkpoints every
 * second (exactly-once commits) against the bounded job on the same cluster (no checkpoints).
 *
 * <pre>mvn -o -pl job test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.videoforge.job.bench.SegmentScalingBenchmark [-Dexec.args="SECONDS"]</pre>
 */
public final class SegmentScalingBenchmark {
    private static final AvroCodec<UpscaleRequest> REQUESTS = new AvroCodec<>(UpscaleRequest.class);
    private static final AvroCodec<UpscaleResult> RESULTS = new AvroCodec<>(UpscaleResult.class);

    private SegmentScalingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path dir = Files.createTempDirectory("videoforge-scaling-");
        Path clip = dir.resolve("long.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=192x108:rate=24", "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-g", "24", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-shortest", clip.toString());
        long frames = FfmpegCli.countFrames(clip);
        System.out.printf("clip: 192x108, %d frames (%d s), x2 with esrgan-slim, CPU backend, segments of 2 s%n",
                frames, seconds);
        System.out.println("taskmanagers | job                              | wall s | fps   | slot s | checkpoints (avg ms)");
        try (KafkaBroker kafka = KafkaBroker.start(); TopicClient topics = new TopicClient(kafka.bootstrapServers())) {
            kafka.createTopic("requests", 1);
            kafka.createTopic("results", 1);
            kafka.createTopic("dead", 1);
            int results = 0;
            for (int tms : new int[] {1, 2}) {
                try (FlinkStandaloneCluster flink = FlinkStandaloneCluster.start(tms)) {
                    Path staging = Files.createDirectories(dir.resolve("staging-" + tms));
                    // Bounded job: BATCH mode, no checkpoints; the client times env.execute.
                    Path manifest = dir.resolve("manifest-" + tms + ".txt");
                    // fixed output names: a second stream run overwrites the first
                    Files.writeString(manifest, clip + " " + dir.resolve("batch-" + tms + ".mp4") + "\n");
                    long t0 = System.nanoTime();
                    FlinkRun batch = flink.submitVideoForge(args("batch", "--manifest", manifest.toString(),
                            "--staging", staging.toString(), "--parallelism", String.valueOf(tms)));
                    if (batch.awaitExit(Duration.ofMinutes(20)) != 0) {
                        throw new IllegalStateException(batch + "\n" + flink.logTails(40));
                    }
                    report(tms, "batch (no checkpoints)", (System.nanoTime() - t0) / 1e9, frames, Double.NaN, "-");

                    for (String interval : new String[] {"1s", "60s"}) {
                    FlinkRun stream = flink.submitVideoForge(args("stream", "--bootstrap-servers",
                            kafka.bootstrapServers(), "--requests-topic", "requests", "--results-topic", "results",
                            "--dead-letter-topic", "dead", "--group-id", "bench-" + tms, "--staging", staging.toString(),
                            "--checkpoint-interval", interval, "--parallelism", String.valueOf(tms), "--detached"));
                    String jobId = stream.awaitJobId(Duration.ofSeconds(90));
                    flink.awaitAllTasksRunning(jobId, Duration.ofSeconds(60));
                    long s0 = System.nanoTime();
                    topics.send("requests", REQUESTS.encode(UpscaleRequest.newBuilder().setRequestId("long-" + tms)
                            .setInputUri(clip.toString()).setOutputUri(dir.resolve("stream-" + tms + ".mp4").toString())
                            .build()));
                    int expected = ++results;
                    List<ConsumerRecord<byte[], byte[]>> got = topics.readUntil("results", r -> r.size() >= expected,
                            Duration.ofMinutes(20));
                    double wall = (System.nanoTime() - s0) / 1e9;
                    UpscaleResult r = RESULTS.decode(got.get(got.size() - 1).value());
                    // The result waits for the next checkpoint: time to publish is wall; frame-path time
                    // summed over the segments (slot s) is what checkpoints could slow down.
                    var counts = flink.get("/jobs/" + jobId + "/checkpoints");
                    String checkpoints = counts.path("counts").path("completed").asLong() + " ("
                            + counts.path("summary").path("end_to_end_duration").path("avg").asLong() + ")";
                    report(tms, "stream, checkpoint " + interval + " (" + r.getStatus() + ")", wall, frames,
                            r.getSlotMillis() / 1000.0, checkpoints);
                    flink.cancel(jobId);
                    }
                }
            }
        }
    }

    private static String[] args(String... a) {
        List<String> all = new java.util.ArrayList<>(List.of(a));
        all.addAll(List.of("--backend", "cpu", "--inference-threads", "1", "--encoder-threads", "1",
                "--segment-seconds", "2"));
        return all.toArray(String[]::new);
    }

    private static void report(int tms, String job, double wall, long frames, double slotSeconds, String checkpoints) {
        System.out.printf(Locale.ROOT, "%12d | %-32s | %6.1f | %5.2f | %6s | %s%n", tms, job, wall, frames / wall,
                Double.isNaN(slotSeconds) ? "-" : String.format(Locale.ROOT, "%.1f", slotSeconds), checkpoints);
    }
}
