package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
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
import org.videoforge.flink.request.AvroCodec;
import org.videoforge.job.cluster.FlinkRun;
import org.videoforge.job.cluster.FlinkStandaloneCluster;
import org.videoforge.job.cluster.KafkaBroker;
import org.videoforge.testing.FfmpegCli;

/**
 * Segments go to the slot that asks, on the real cluster (two one-slot TaskManagers) and broker:
 * a video whose first segment is ten times longer than each of its other eight keeps one slot busy
 * while the other takes the short ones (a fixed split, segments k, k+2, ..., would give it every
 * other one); with a TaskManager killed mid-video the job still ends with every segment once, the
 * output bit-identical to the run without the kill; and a rejected request is answered while a
 * video's segments are still being worked on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SegmentDispatchIT {
    private static final String REQUESTS = "requests";
    private static final String RESULTS = "results";
    /** One 640-frame segment (40 s at 16 fps), then eight of 8 frames. */
    private static final int LONG_FRAMES = 640;
    private static final int SHORT_SEGMENTS = 8;
    private static final int FRAMES = LONG_FRAMES + SHORT_SEGMENTS * 8;
    private static final AvroCodec<UpscaleRequest> REQUEST_CODEC = new AvroCodec<>(UpscaleRequest.class);
    private static final AvroCodec<UpscaleResult> RESULT_CODEC = new AvroCodec<>(UpscaleResult.class);

    @TempDir
    static Path dir;

    private static KafkaBroker kafka;
    private static FlinkStandaloneCluster flink;
    private static TopicClient topics;
    private static Path clip;
    private static String jobId;

    @BeforeAll
    static void start() {
        FfmpegCli.assumeInstalled();
        clip = dir.resolve("one-long-segment.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=16", "-frames:v", Integer.toString(FRAMES),
                "-c:v", "libx264", "-g", "1000", "-sc_threshold", "0", "-bf", "2", "-pix_fmt", "yuv420p",
                "-force_key_frames", "expr:eq(n,0)+gte(n," + LONG_FRAMES + ")*not(mod(n-" + LONG_FRAMES + ",8))",
                clip.toString());
        kafka = KafkaBroker.start();
        kafka.createTopic(REQUESTS, 1);
        kafka.createTopic(RESULTS, 1);
        kafka.createTopic("dead-letters", 1);
        topics = new TopicClient(kafka.bootstrapServers());
        flink = FlinkStandaloneCluster.start(2);
        FlinkRun run = flink.submitVideoForge("stream", "--bootstrap-servers", kafka.bootstrapServers(),
                "--requests-topic", REQUESTS, "--results-topic", RESULTS, "--dead-letter-topic", "dead-letters",
                "--staging", dir.resolve("staging").toString(), "--segment-seconds", "0.1",
                "--checkpoint-interval", "1s", "--backend", "cpu", "--encoder-threads", "1", "--parallelism", "2",
                "--detached");
        jobId = run.awaitJobId(Duration.ofSeconds(90));
        flink.awaitAllTasksRunning(jobId, Duration.ofSeconds(60));
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

    private static void request(String id) throws Exception {
        topics.send(REQUESTS, REQUEST_CODEC.encode(UpscaleRequest.newBuilder().setRequestId(id)
                .setInputUri(clip.toString()).setOutputUri(dir.resolve(id + ".mp4").toString()).build()));
    }

    private static UpscaleResult resultOf(String id, int resultsSoFar) {
        List<ConsumerRecord<byte[], byte[]>> records = topics.readUntil(RESULTS, r -> r.size() >= resultsSoFar,
                Duration.ofSeconds(300));
        Map<String, List<UpscaleResult>> byId = records.stream().map(r -> RESULT_CODEC.decode(r.value()))
                .collect(Collectors.groupingBy(UpscaleResult::getRequestId));
        List<UpscaleResult> mine = byId.get(id);
        assertTrue(mine != null, "a result for " + id + " in " + byId.keySet() + "\n" + flink.logTails(60));
        assertEquals(1, mine.size(), "exactly one result for " + id + ": " + mine);
        return mine.get(0);
    }

    @Test
    @Order(1)
    void aSlotBusyWithALongSegmentLeavesTheShortOnesToTheOther() throws Exception {
        request("split");
        UpscaleResult r = resultOf("split", 1);
        assertEquals(Status.SUCCEEDED, r.getStatus(), r.toString());
        assertEquals(FRAMES, r.getFrames());
        assertEquals(1 + SHORT_SEGMENTS, r.getSegments());

        Map<String, TreeSet<Integer>> bySlot = encodedBySlot("split");
        System.out.println("segments encoded per TaskManager: " + bySlot);
        String longOne = bySlot.entrySet().stream().filter(e -> e.getValue().contains(0)).findFirst().orElseThrow()
                .getKey();
        TreeSet<Integer> other = bySlot.entrySet().stream().filter(e -> !e.getKey().equals(longOne))
                .flatMap(e -> e.getValue().stream()).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(bySlot.get(longOne).size() <= 2, "the slot with the long segment took at most one short one: "
                + bySlot);
        assertTrue(other.size() >= SHORT_SEGMENTS - 1, "the other slot took the short segments: " + bySlot);
        assertEquals(1 + SHORT_SEGMENTS, bySlot.values().stream().mapToInt(TreeSet::size).sum(),
                "each segment encoded once: " + bySlot);
    }

    @Test
    @Order(2)
    void aKilledTaskManagerCostsNoSegmentAndChangesNoByte() throws Exception {
        byte[] expected = Files.readAllBytes(dir.resolve("split.mp4"));
        request("kill");
        long waitMillis = 2000 + new Random(Long.getLong("videoforge.test.seed", System.nanoTime())).nextInt(4000);
        Thread.sleep(waitMillis);
        List<Integer> running = flink.taskManagersOf(jobId);
        int victim = running.get(0);
        System.out.printf("kill -9 taskmanager %d after %d ms%n", victim, waitMillis);
        flink.killTaskManager(victim);
        flink.startTaskManager();
        UpscaleResult r = resultOf("kill", 2);
        assertEquals(Status.SUCCEEDED, r.getStatus(), r.toString());
        assertEquals(FRAMES, r.getFrames());
        assertEquals(FRAMES, FfmpegCli.countFrames(dir.resolve("kill.mp4")));
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("kill.mp4")),
                "bit-identical to the run without the kill: no segment lost, repeated or different");
    }

    /**
     * Issue 13: a rejected request's result does not wait behind queued work. With a long video
     * just sent, a request for a missing input is answered before that video's own result, and
     * within two checkpoint intervals of the end of the segment in progress (the slot that gets the
     * rejection may be in the middle of it): at the latest the video's long first segment, timed by
     * its TaskManager's log in this same run.
     */
    @Test
    @Order(3)
    void aRejectedRequestIsAnsweredWithoutWaitingForQueuedSegments() throws Exception {
        request("queued");
        long sent = System.nanoTime();
        long sentAt = System.currentTimeMillis();
        topics.send(REQUESTS, REQUEST_CODEC.encode(UpscaleRequest.newBuilder().setRequestId("rejected")
                .setInputUri(dir.resolve("no-such-input.mp4").toString())
                .setOutputUri(dir.resolve("rejected.mp4").toString()).build()));
        List<ConsumerRecord<byte[], byte[]>> records = topics.readUntil(RESULTS, r -> r.stream()
                .anyMatch(x -> RESULT_CODEC.decode(x.value()).getRequestId().equals("rejected")), Duration.ofSeconds(300));
        long latencyMillis = (System.nanoTime() - sent) / 1_000_000;
        List<String> order = records.stream().map(r -> RESULT_CODEC.decode(r.value()).getRequestId()).toList();
        assertTrue(!order.contains("queued"), "the rejection came before the queued video's result: " + order);
        UpscaleResult queued = resultOf("queued", 4);
        assertEquals(Status.SUCCEEDED, queued.getStatus(), queued.toString());
        long longSegmentDone = encoded("queued").stream().filter(e -> e.segment() == 0).findFirst().orElseThrow()
                .epochMillis() - sentAt;
        System.out.printf("rejected request answered after %d ms; the queued video's long first segment was encoded "
                + "%d ms after the request (checkpoints every 1 s); results %s%n", latencyMillis, longSegmentDone, order);
        assertTrue(latencyMillis <= 2 * 1000 + longSegmentDone, "answered after " + latencyMillis
                + " ms, more than two checkpoint intervals after the segment in progress ended (at the latest the "
                + "long first segment, " + longSegmentDone + " ms after the request)");
    }

    /** One "encoded" line of a TaskManager's log: its log file, the segment (0-based), when it was written. */
    private record Encoded(String log, int segment, long epochMillis) {
    }

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    /** The segments of request {@code id} the TaskManagers encoded, from their logs. */
    private static List<Encoded> encoded(String id) throws IOException {
        Pattern encoded = Pattern.compile("^(\\S+ \\S+) .*encoded EncodedVideo\\{" + Pattern.quote(id)
                + " segment (\\d+)/");
        List<Encoded> out = new ArrayList<>();
        try (Stream<Path> logs = Files.list(flink.logDir())) {
            for (Path log : logs.filter(p -> p.getFileName().toString().matches("flink-taskexecutor-.*\\.log")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    Matcher m = encoded.matcher(line);
                    if (m.find()) {
                        long at = LocalDateTime.parse(m.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant()
                                .toEpochMilli();
                        out.add(new Encoded(log.getFileName().toString(), Integer.parseInt(m.group(2)) - 1, at));
                    }
                }
            }
        }
        return out;
    }

    /** Segment indices each TaskManager encoded for request {@code id}, from its log. */
    private static Map<String, TreeSet<Integer>> encodedBySlot(String id) throws IOException {
        return encoded(id).stream().collect(Collectors.groupingBy(Encoded::log, TreeMap::new,
                Collectors.mapping(Encoded::segment, Collectors.toCollection(TreeSet::new))));
    }
}
