package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.TopicDescription;
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
import org.videoforge.job.cli.ExitCodes;
import org.videoforge.job.cluster.BuildPaths;
import org.videoforge.job.cluster.KafkaBroker;
import org.videoforge.job.testing.CliResult;
import org.videoforge.testing.FfmpegCli;

/**
 * {@code videoforge stream} as a user runs it on one machine -- the embedded MiniCluster in its own
 * JVM -- against a real broker that starts without topics: the job creates them; it is killed with
 * {@code kill -9} or stopped with Ctrl+C at random moments mid-video and started again with the same
 * command; every request gets exactly one result, every output is bit-identical to the run without
 * a stop, segments committed before a stop are not encoded again, and staging ends empty.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStreamRecoveryIT {
    /** 12 s at 16 fps with a keyframe each second: 12 one-second segments. */
    private static final int FRAMES = 192;
    private static final int SEGMENTS = 12;
    private static final int PARTITIONS = 2;

    @TempDir
    static Path dir;

    private static KafkaBroker kafka;
    private static TopicClient topics;
    private static Path clip;
    private static Path staging;
    private static Path log;
    private static List<String> command;
    private static CliProcess job;
    private static byte[] expected;
    private static final Random RANDOM = new Random(Long.getLong("videoforge.test.seed", System.nanoTime()));
    private static final AvroCodec<UpscaleRequest> REQUESTS = new AvroCodec<>(UpscaleRequest.class);
    private static final AvroCodec<UpscaleResult> RESULTS = new AvroCodec<>(UpscaleResult.class);

    @BeforeAll
    static void start() throws IOException {
        FfmpegCli.assumeInstalled();
        clip = dir.resolve("clip.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=16", "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", "12", "-c:v", "libx264", "-g", "16", "-bf", "2", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                clip.toString());
        staging = Files.createDirectories(dir.resolve("staging"));
        // In the build directory, not the temporary one: kept for a look after a failure.
        log = BuildPaths.buildDir().resolve("local-stream-recovery").resolve("stream.log");
        Files.deleteIfExists(log);
        kafka = KafkaBroker.start();
        topics = new TopicClient(kafka.bootstrapServers());
        command = List.of("stream", "--bootstrap-servers", kafka.bootstrapServers(),
                "--requests-topic", "requests", "--results-topic", "results", "--dead-letter-topic", "dead",
                "--topic-partitions", String.valueOf(PARTITIONS), "--state-dir", dir.resolve("state").toString(),
                "--staging", staging.toString(), "--segment-seconds", "1", "--checkpoint-interval", "1s",
                "--backend", "cpu", "--encoder-threads", "1", "--inference-threads", "1", "--stop-timeout", "60s");
    }

    @AfterAll
    static void stop() throws Exception {
        if (job != null) {
            job.close();
        }
        if (topics != null) {
            topics.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void aBrokerThatRefusesTopicCreationGivesACodedErrorNamingTheTopic() throws Exception {
        // One broker cannot hold three replicas: the broker refuses to create the topic.
        CliResult r = CliResult.run("stream", "--bootstrap-servers", kafka.bootstrapServers(),
                "--requests-topic", "refused-requests", "--topic-replication", "3",
                "--state-dir", dir.resolve("refused-state").toString(), "--staging", staging.toString());
        assertEquals(ExitCodes.ENGINE_ERROR, r.exitCode, r.toString());
        assertTrue(r.err.contains("E" + ErrorCode.TOPIC_UNAVAILABLE.number() + " TOPIC_UNAVAILABLE"), r.err);
        assertTrue(r.err.contains("kafka-topics.sh --bootstrap-server " + kafka.bootstrapServers()
                + " --create --topic refused-requests --replication-factor 3"), r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        assertFalse(kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS).contains("refused-requests"));
    }

    @Test
    @Order(2)
    void aFreshBrokerGetsTheTopicsAndAnswersRequestsAndPoison() throws Exception {
        restart();
        assertTrue(job.output().contains("created topics requests, results, dead"), job.tail(40));
        Map<String, TopicDescription> created = kafka.admin().describeTopics(List.of("requests", "results", "dead"))
                .allTopicNames().get(30, TimeUnit.SECONDS);
        created.values().forEach(t -> assertEquals(PARTITIONS, t.partitions().size(), t.toString()));

        topics.send("requests", "not a request".getBytes(StandardCharsets.UTF_8));
        request("baseline");
        UpscaleResult baseline = resultOf("baseline", Duration.ofSeconds(240));
        UpscaleResultDocs.assertSucceeded(baseline, "baseline", dir.resolve("baseline.mp4"), FRAMES, SEGMENTS);
        expected = Files.readAllBytes(dir.resolve("baseline.mp4"));
        assertEquals(FRAMES, FfmpegCli.countFrames(dir.resolve("baseline.mp4")));

        UpscaleResult poison = results().values().stream().flatMap(List::stream)
                .filter(x -> x.getRequestId().startsWith("unreadable:")).findFirst().orElseThrow();
        UpscaleResultDocs.assertUnreadable(poison, "requests", PARTITIONS);
        awaitStagingEmpty();
    }

    @Test
    @Order(3)
    void killedMidVideoTheSameCommandFinishesItOnce() throws Exception {
        for (int k = 0; k < 3; k++) {
            String id = "kill-" + k;
            request(id);
            List<Integer> committed = awaitRandomMomentMidVideo(id, k, 3);
            job.kill();
            restart();
            assertFinishedOnce(id, committed);
        }
    }

    @Test
    @Order(4)
    void ctrlCStopsWithASavepointThatTheSameCommandResumes() throws Exception {
        String id = "ctrl-c";
        request(id);
        awaitRandomMomentMidVideo(id, 0, 2);
        job.signal("INT");
        assertEquals(ExitCodes.CANCELLED, job.awaitExit(Duration.ofSeconds(90)), job.tail(60));
        assertTrue(job.output().contains("stopped with savepoint"), job.tail(60));
        List<Integer> committed = committedSegments(id);
        restart();
        assertTrue(job.output().contains("resuming from " + dir.resolve("state").resolve("savepoints")), job.tail(40));
        assertFinishedOnce(id, committed);
    }

    @Test
    @Order(5)
    void aSecondCtrlCStopsAtOnceAndTheLastCheckpointResumes() throws Exception {
        String id = "ctrl-c-twice";
        request(id);
        awaitRandomMomentMidVideo(id, 1, 2);
        job.signal("INT");
        job.awaitOutput("stopping with a savepoint", Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        job.signal("INT");
        assertEquals(ExitCodes.CANCELLED, job.awaitExit(Duration.ofSeconds(10)), job.tail(60));
        System.out.printf("%s: exited %d ms after the second Ctrl+C%n", id, (System.nanoTime() - t0) / 1_000_000);
        List<Integer> committed = committedSegments(id);
        restart();
        assertFinishedOnce(id, committed);
        try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
            List<Path> snapshots = files.filter(p -> p.getFileName().toString().equals("_metadata")).toList();
            assertTrue(snapshots.size() <= 2, "resumed and subsumed snapshots are removed: " + snapshots);
        }
    }

    /**
     * Waits until {@code id} is at a random point mid-video: trial {@code k} of {@code n} draws how
     * many segments are committed from the k-th of n equal parts of the video's first half (0: the
     * request is planned, nothing committed), then waits a random part of a checkpoint interval.
     *
     * @return the segments committed at that moment
     */
    private static List<Integer> awaitRandomMomentMidVideo(String id, int k, int n) throws Exception {
        int part = SEGMENTS / 2 / n;
        int target = k * part + RANDOM.nextInt(part);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (stagingOf(id) == null || committedSegments(id).size() < target) {
            assertTrue(System.nanoTime() < deadline, id + ": " + target + " committed segments not seen\n"
                    + job.tail(60));
            Thread.sleep(50);
        }
        long extra = RANDOM.nextInt(1000);
        Thread.sleep(extra);
        List<Integer> committed = committedSegments(id);
        assertFalse(Files.exists(dir.resolve(id + ".mp4")), id + ": still mid-video");
        System.out.printf("%s: stopping %d ms after %d committed segment(s): %s%n", id, extra, target, committed);
        return committed;
    }

    /** The same command again; returns once the job runs (and Ctrl+C would stop it with a savepoint). */
    private static void restart() throws InterruptedException {
        job = CliProcess.start(log, command);
        job.awaitOutput("reading requests", Duration.ofSeconds(120));
    }

    private static void request(String id) throws Exception {
        topics.send("requests", REQUESTS.encode(UpscaleRequest.newBuilder().setRequestId(id)
                .setInputUri(clip.toUri().toString()).setOutputUri(dir.resolve(id + ".mp4").toString()).build()));
    }

    /**
     * After a restart: exactly one result for every request so far, this one complete and the same
     * bytes as the baseline, segments committed before the stop encoded once, staging empty.
     */
    private static void assertFinishedOnce(String id, List<Integer> committedBeforeStop) throws Exception {
        UpscaleResult r = resultOf(id, Duration.ofSeconds(240));
        UpscaleResultDocs.assertSucceeded(r, id, dir.resolve(id + ".mp4"), FRAMES, SEGMENTS);
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve(id + ".mp4")), id + ": bit-identical to the baseline");
        Map<Integer, Integer> encodes = encodeCounts(id);
        for (int segment : committedBeforeStop) {
            assertEquals(1, encodes.get(segment), id + ": segment " + segment + " was committed before the stop and "
                    + "encoded once only: " + encodes);
        }
        assertEquals(SEGMENTS, encodes.size(), id + ": every segment encoded: " + encodes);
        results().forEach((rid, list) -> assertEquals(1, list.size(), "exactly one result for " + rid + ": " + list));
        awaitStagingEmpty();
    }

    private static UpscaleResult resultOf(String id, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> got = topics.readUntil("results", records -> records.stream()
                .anyMatch(r -> RESULTS.decode(r.value()).getRequestId().equals(id)), timeout);
        return got.stream().map(r -> RESULTS.decode(r.value())).filter(r -> r.getRequestId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + id + " within " + timeout + "\n"
                        + job.tail(80)));
    }

    /** Every result published so far (read_committed), by request id. */
    private static Map<String, List<UpscaleResult>> results() {
        return topics.readUntil("results", r -> false, Duration.ofSeconds(3)).stream()
                .map(r -> RESULTS.decode(r.value())).collect(Collectors.groupingBy(UpscaleResult::getRequestId));
    }

    /** The staging directory of {@code id}: made when its request is planned, deleted after it is published. */
    private static Path stagingOf(String id) throws IOException {
        try (Stream<Path> dirs = Files.list(staging)) {
            return dirs.filter(p -> p.getFileName().toString().startsWith(id + "-")).findFirst().orElse(null);
        }
    }

    /** Indexes of the segments of {@code id} renamed to their committed names so far. */
    private static List<Integer> committedSegments(String id) throws IOException {
        Path videoStaging = stagingOf(id);
        if (videoStaging == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(videoStaging)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("segment-\\d+\\.mp4"))
                    .map(n -> Integer.parseInt(n.substring("segment-".length(), n.indexOf('.')))).sorted().toList();
        } catch (NoSuchFileException publishedMeanwhile) {
            return List.of();
        }
    }

    /** How many times each segment of {@code id} was encoded, over every process in the log. */
    private static Map<Integer, Integer> encodeCounts(String id) throws IOException {
        Pattern encoded = Pattern.compile("encoded EncodedVideo\\{" + Pattern.quote(id) + " segment (\\d+)/");
        Map<Integer, Integer> counts = new HashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = encoded.matcher(line);
            if (m.find()) {
                counts.merge(Integer.parseInt(m.group(1)) - 1, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static void awaitStagingEmpty() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Set<String> left;
        do {
            try (Stream<Path> files = Files.list(staging)) {
                left = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            }
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("staging not empty: " + left + "\n" + job.tail(40));
    }
}
