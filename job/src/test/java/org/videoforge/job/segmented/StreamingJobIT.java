package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.contract.Status;
import org.videoforge.contract.UpscaleRequest;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.request.AvroCodec;
import org.videoforge.flink.metrics.TelemetryNames;
import org.videoforge.job.cluster.BuildPaths;
import org.videoforge.job.cluster.FlinkRun;
import org.videoforge.job.cluster.FlinkStandaloneCluster;
import org.videoforge.job.cluster.KafkaBroker;
import org.videoforge.job.deploy.PrometheusEndpoints;
import org.videoforge.job.deploy.PrometheusText;
import org.videoforge.testing.FfmpegCli;

/**
 * The streaming job for real: a KRaft Kafka broker and a standalone Flink cluster (JobManager and
 * two TaskManagers) as their own processes, the job jar submitted with flink run, requests produced
 * to the broker and results read back as an exactly-once consumer reads them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingJobIT {
    private static final String REQUESTS = "requests";
    private static final String RESULTS = "results";
    private static final String DEAD = "dead-letters";
    /** The long clip: 12 s at 16 fps, a keyframe each second: 12 one-second segments. */
    private static final int LONG_FRAMES = 192;
    private static final int LONG_SEGMENTS = 12;
    /** The longer clip, for stopping mid-video: 30 s, 30 segments. */
    private static final int LONGER_FRAMES = 480;
    private static final int LONGER_SEGMENTS = 30;

    @TempDir
    static Path dir;

    private static KafkaBroker kafka;
    private static FlinkStandaloneCluster flink;
    private static TopicClient topics;
    private static Path shortClip;
    private static Path longClip;
    private static Path longerClip;
    private static Path staging;
    private static final AvroCodec<UpscaleRequest> REQUEST_CODEC = new AvroCodec<>(UpscaleRequest.class);
    private static final AvroCodec<UpscaleResult> RESULT_CODEC = new AvroCodec<>(UpscaleResult.class);

    @BeforeAll
    static void start() throws IOException {
        FfmpegCli.assumeInstalled();
        shortClip = dir.resolve("short.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=16", "-f", "lavfi", "-i", "sine=frequency=330",
                "-t", "2", "-c:v", "libx264", "-g", "16", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                shortClip.toString());
        longClip = dir.resolve("long.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=16", "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", "12", "-c:v", "libx264", "-g", "16", "-bf", "2", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                longClip.toString());
        longerClip = dir.resolve("longer.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=16", "-t", "30", "-c:v", "libx264", "-g", "16",
                "-pix_fmt", "yuv420p", longerClip.toString());
        staging = Files.createDirectories(dir.resolve("staging"));
        kafka = KafkaBroker.start();
        for (String t : List.of(REQUESTS, RESULTS, DEAD)) {
            kafka.createTopic(t, 1);
        }
        topics = new TopicClient(kafka.bootstrapServers());
        metricsPort = PrometheusEndpoints.freePortRange(METRICS_PORTS);
        flink = FlinkStandaloneCluster.builder().taskManagers(2)
                .plugin("metrics-prometheus", BuildPaths.flinkPlugin("metrics-prometheus"))
                .set("metrics.reporter.prom.port", metricsPort + "-" + (metricsPort + METRICS_PORTS - 1))
                .start();
    }

    @AfterAll
    static void stop() {
        if (topics != null) {
            topics.close();
        }
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String submit(String... extra) {
        List<String> args = new ArrayList<>(List.of("stream", "--bootstrap-servers", kafka.bootstrapServers(),
                "--requests-topic", REQUESTS, "--results-topic", RESULTS, "--dead-letter-topic", DEAD,
                "--staging", staging.toString(), "--segment-seconds", "1", "--checkpoint-interval", "1s",
                "--backend", "cpu", "--encoder-threads", "1", "--detached"));
        args.addAll(List.of(extra));
        FlinkRun run = flink.submitVideoForge(args.toArray(String[]::new));
        String jobId = run.awaitJobId(Duration.ofSeconds(90));
        flink.awaitAllTasksRunning(jobId, Duration.ofSeconds(60));
        return jobId;
    }

    private static void request(String id, Path input, Path output) throws Exception {
        topics.send(REQUESTS, REQUEST_CODEC.encode(UpscaleRequest.newBuilder().setRequestId(id)
                .setInputUri(input.toUri().toString()).setOutputUri(output.toString()).build()));
    }

    /** Results by request id, every one read (a duplicate would show as a list of two). */
    private static Map<String, List<UpscaleResult>> results(int atLeast, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = topics.readUntil(RESULTS, r -> r.size() >= atLeast, timeout);
        return records.stream().map(r -> RESULT_CODEC.decode(r.value()))
                .collect(Collectors.groupingBy(UpscaleResult::getRequestId));
    }

    private static UpscaleResult only(Map<String, List<UpscaleResult>> results, String id) {
        List<UpscaleResult> r = results.get(id);
        assertTrue(r != null, "a result for " + id + " in " + results.keySet() + "\n" + flink.logTails(60));
        assertEquals(1, r.size(), "exactly one result for " + id + ": " + r);
        return r.get(0);
    }

    private static String jobId;
    /** Reporter ports: the JobManager, up to 5 TaskManagers over the test (killed ones are replaced). */
    private static final int METRICS_PORTS = 6;
    private static int metricsPort;

    @Test
    @Order(1)
    void requestsComeBackAsResultsAndPoisonGoesToDeadLetters() throws Exception {
        jobId = submit();
        topics.send(REQUESTS, "definitely not avro".getBytes(StandardCharsets.UTF_8));
        request("missing-input", dir.resolve("no-such.mp4"), dir.resolve("missing-input.mp4"));
        topics.send(REQUESTS, REQUEST_CODEC.encode(UpscaleRequest.newBuilder().setRequestId("unknown-model")
                .setInputUri(shortClip.toString()).setOutputUri(dir.resolve("unknown-model.mp4").toString())
                .setModel("no-such-model").build()));
        request("valid", shortClip, dir.resolve("valid.mp4"));

        Map<String, List<UpscaleResult>> results = results(4, Duration.ofSeconds(180));
        UpscaleResult valid = only(results, "valid");
        assertEquals(Status.SUCCEEDED, valid.getStatus(), valid.toString());
        assertEquals(32, valid.getFrames());
        assertEquals(2, valid.getSegments());
        assertEquals(ErrorCode.INPUT_NOT_FOUND.number(), only(results, "missing-input").getErrorCode());
        assertEquals(ErrorCode.MODEL_NOT_FOUND.number(), only(results, "unknown-model").getErrorCode());
        String garbageId = results.keySet().stream().filter(k -> k.startsWith("unreadable:")).findFirst().orElseThrow();
        assertEquals(ErrorCode.REQUEST_INVALID.number(), only(results, garbageId).getErrorCode());

        Path out = dir.resolve("valid.mp4");
        assertEquals(32, FfmpegCli.countFrames(out));
        assertEquals(192, FfmpegCli.stream(FfmpegCli.probe(out), "video").path("width").asInt());
        assertEquals(128, FfmpegCli.stream(FfmpegCli.probe(out), "video").path("height").asInt());
        assertTrue(FfmpegCli.stream(FfmpegCli.probe(out), "audio") != null, "audio kept");
        assertFalse(Files.exists(dir.resolve("missing-input.mp4")));
        double committed = PrometheusEndpoints.scrape(metricsPort, METRICS_PORTS).stream()
                .filter(s -> s.name().equals(PrometheusEndpoints.OPERATOR + TelemetryNames.Metrics.SEGMENTS_COMMITTED))
                .mapToDouble(PrometheusText.Sample::value).sum();
        assertEquals(2.0, committed, "the committer's segment counter, on the Prometheus endpoint");

        List<ConsumerRecord<byte[], byte[]>> dead = topics.readUntil(DEAD, r -> r.size() >= 3, Duration.ofSeconds(30));
        assertEquals(3, dead.size(), "three dead letters");
        List<String> codes = dead.stream().map(r -> new String(r.headers().lastHeader("videoforge.error.code").value(),
                StandardCharsets.UTF_8)).sorted().toList();
        assertEquals(List.of("1001", "2001", "6001"), codes);
        assertArrayEquals("definitely not avro".getBytes(StandardCharsets.UTF_8),
                dead.stream().filter(r -> new String(r.headers().lastHeader("videoforge.error.code").value(),
                        StandardCharsets.UTF_8).equals("6001")).findFirst().orElseThrow().value(),
                "the dead letter is the original record");
    }

    @Test
    @Order(2)
    void killedTaskManagersCostNoSegmentAndChangeNoByte() throws Exception {
        request("baseline", longClip, dir.resolve("baseline.mp4"));
        UpscaleResult baseline = only(results(5, Duration.ofSeconds(240)), "baseline");
        assertEquals(Status.SUCCEEDED, baseline.getStatus(), baseline.toString());
        assertEquals(LONG_FRAMES, baseline.getFrames());
        assertEquals(LONG_SEGMENTS, baseline.getSegments());
        byte[] expected = Files.readAllBytes(dir.resolve("baseline.mp4"));

        Random random = new Random(Long.getLong("videoforge.test.seed", System.nanoTime()));
        int seen = 5;
        for (int k = 0; k < 3; k++) {
            String id = "kill-" + k;
            request(id, longClip, dir.resolve(id + ".mp4"));
            long waitMillis = 1000 + random.nextInt((int) Math.max(1000, baseline.getDurationMillis() - 1000));
            Thread.sleep(waitMillis);
            List<Integer> victims = flink.taskManagersOf(jobId);
            int victim = victims.get(random.nextInt(victims.size()));
            System.out.printf("%s: kill -9 taskmanager %d after %d ms%n", id, victim, waitMillis);
            flink.killTaskManager(victim);
            flink.startTaskManager();
            seen++;
            UpscaleResult r = only(results(seen, Duration.ofSeconds(300)), id);
            assertEquals(Status.SUCCEEDED, r.getStatus(), r.toString());
            assertEquals(LONG_FRAMES, r.getFrames(), "no segment lost or duplicated");
            if (System.getProperty("videoforge.test.keep") != null) {
                Path keep = Files.createDirectories(Path.of(System.getProperty("videoforge.test.keep")));
                Files.copy(dir.resolve("baseline.mp4"), keep.resolve("baseline.mp4"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.copy(dir.resolve(id + ".mp4"), keep.resolve(id + ".mp4"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            assertArrayEquals(expected, Files.readAllBytes(dir.resolve(id + ".mp4")),
                    id + " is bit-identical to the failure-free run");
        }
        Map<String, List<UpscaleResult>> all = results(seen, Duration.ofSeconds(30));
        all.forEach((id, list) -> assertEquals(1, list.size(), "exactly once: " + id));
    }

    @Test
    @Order(3)
    void stopWithSavepointAndRestartDoesNotRedoCommittedSegments() throws Exception {
        request("savepoint", longerClip, dir.resolve("savepoint.mp4"));
        Path stagingOfVideo = awaitCommittedSegments("savepoint", 2, Duration.ofSeconds(240));
        Path savepoint = Path.of(flink.stopWithSavepoint(jobId, dir.resolve("savepoints")).replaceFirst("^file:", ""));
        List<String> committedAtStop = committed(stagingOfVideo);
        assertTrue(committedAtStop.size() >= 2 && committedAtStop.size() < LONGER_SEGMENTS,
                "stopped mid-video: " + committedAtStop);

        FlinkRun resumed = flink.submit(BuildPaths.jobJar(),
                List.of("-c", FlinkStandaloneCluster.VIDEOFORGE_MAIN, "-s", savepoint.toString()),
                "stream", "--bootstrap-servers", kafka.bootstrapServers(), "--requests-topic", REQUESTS,
                "--results-topic", RESULTS, "--dead-letter-topic", DEAD, "--staging", staging.toString(),
                "--segment-seconds", "1", "--checkpoint-interval", "1s", "--backend", "cpu",
                "--encoder-threads", "1", "--detached");
        jobId = resumed.awaitJobId(Duration.ofSeconds(90));

        UpscaleResult r = only(results(10, Duration.ofSeconds(300)), "savepoint");
        assertEquals(Status.SUCCEEDED, r.getStatus(), r.toString());
        assertEquals(LONGER_FRAMES, r.getFrames());
        assertEquals(LONGER_FRAMES, FfmpegCli.countFrames(dir.resolve("savepoint.mp4")));

        Map<Integer, Integer> encodes = encodeCounts("savepoint");
        for (String file : committedAtStop) {
            int index = Integer.parseInt(file.substring("segment-".length(), file.indexOf('.')));
            assertEquals(1, encodes.getOrDefault(index, 0), "segment " + index + " was committed before the stop "
                    + "and encoded once only: " + encodes);
        }
        assertEquals(LONGER_SEGMENTS, encodes.size(), "every segment encoded: " + encodes);
    }

    private static Path awaitCommittedSegments(String id, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> dirs = Files.list(staging)) {
                for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith(id + "-")).toList()) {
                    if (committed(d).size() >= n) {
                        return d;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(n + " committed segments of " + id + " not seen\n" + flink.logTails(60));
    }

    private static List<String> committed(Path videoStaging) throws IOException {
        if (!Files.isDirectory(videoStaging)) {
            return List.of(); // published and cleaned up
        }
        try (Stream<Path> files = Files.list(videoStaging)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("segment-\\d+\\.mp4")).sorted()
                    .toList();
        }
    }

    /** How many times each segment of {@code id} was encoded, from the TaskManagers' logs. */
    private static Map<Integer, Integer> encodeCounts(String id) throws IOException {
        Pattern encoded = Pattern.compile("encoded EncodedVideo\\{" + Pattern.quote(id) + " segment (\\d+)/");
        Map<Integer, Integer> counts = new HashMap<>();
        try (Stream<Path> logs = Files.list(flink.logDir())) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("flink-taskexecutor-")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    Matcher m = encoded.matcher(line);
                    if (m.find()) {
                        counts.merge(Integer.parseInt(m.group(1)) - 1, 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }
}
