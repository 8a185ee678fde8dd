package org.videoforge.job.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.videoforge.contract.Status;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.flink.request.AvroCodec;
import org.videoforge.job.cluster.KafkaBroker;
import org.videoforge.job.segmented.TopicClient;
import org.videoforge.testing.FfmpegCli;

/**
 * Upgrading a running job from a savepoint (issue 15): restores the savepoint fixture that an older
 * version of the code wrote mid-video ({@code upgrade/v1}, see its README) with the code of today,
 * and checks that the job finishes the video with every segment exactly once: the segments
 * committed before the savepoint are used as they are (neither encoded nor committed again), the
 * queued ones are encoded and committed once each, one result is published, the output has every
 * frame, and the staging directory is cleaned up.
 *
 * <p>Runs the job as {@code flink run -s} would ({@link StreamJobOnMiniCluster}) on an in-process
 * MiniCluster, with the test Kafka broker: 81-115 s on the shared 2-core development VM. The fixed root
 * is deleted when the test passes and left for inspection when it fails.
 */
class SavepointUpgradeTest {
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration FINISH = Duration.ofSeconds(300);
    private static final Duration CLEANUP = Duration.ofSeconds(60);
    /** Long enough for a few more checkpoints: a second result would have been committed by then. */
    private static final Duration AFTER_RESULT = Duration.ofSeconds(4);

    @Test
    void v1SavepointFinishesTheVideoWithEverySegmentExactlyOnce() throws Exception {
        Path fixture = UpgradeFixture.onClasspath();
        UpgradeFixture.verify(fixture);
        Properties facts = UpgradeFixture.readFacts(fixture);
        TreeSet<Integer> committedBefore = UpgradeFixture.parseIndexList(facts.getProperty("segments.committed"));
        assertFalse(committedBefore.isEmpty() || facts.getProperty("segments.queued").isEmpty(),
                "a mid-video fixture: " + facts);

        try (AutoCloseable lock = UpgradeFixture.lockRoot()) {
            UpgradeFixture.resetRoot();
            Files.copy(fixture.resolve(UpgradeFixture.INPUT_FILE), UpgradeFixture.INPUT);
            UpgradeFixture.copyTree(fixture.resolve(UpgradeFixture.STAGING_DIR), UpgradeFixture.STAGING);
            Path savepoint = UpgradeFixture.ROOT.resolve(UpgradeFixture.SAVEPOINT_DIR);
            UpgradeFixture.copyTree(fixture.resolve(UpgradeFixture.SAVEPOINT_DIR), savepoint);
            Path videoStaging = UpgradeFixture.videoStaging(UpgradeFixture.STAGING);
            Path committedCopies = fixture.resolve(UpgradeFixture.STAGING_DIR)
                    .resolve(UpgradeFixture.STAGING.relativize(videoStaging));

            Run run = restoreAndFinish(fixture, facts, savepoint, videoStaging);

            assertOneSucceededResult(run, facts);
            assertEverySegmentDoneOnce(run, facts);
            assertCommittedSegmentsKept(committedBefore, committedCopies, facts);
            assertFalse(Files.exists(videoStaging), "the video's staging directory is cleaned up");
            assertEquals(List.of(), UpgradeFixture.files(UpgradeFixture.STAGING), "nothing left in staging");
            try (Stream<Path> root = Files.list(UpgradeFixture.ROOT)) {
                assertEquals(List.of(), root.filter(p -> p.getFileName().toString().endsWith(".part")).toList(),
                        "no temporary output left");
            }
            FileUtils.deleteDirectory(UpgradeFixture.ROOT.toFile());
        }
    }

    private static void assertOneSucceededResult(Run run, Properties facts) {
        long frames = Long.parseLong(facts.getProperty("input.frames"));
        assertEquals(1, run.results().size(), "exactly one result: " + run.results());
        UpscaleResult result = run.results().get(0);
        assertEquals(UpgradeFixture.REQUEST_ID, result.getRequestId());
        assertEquals(Status.SUCCEEDED, result.getStatus(), result.toString());
        assertEquals(frames, result.getFrames(), result.toString());
        assertEquals(Integer.parseInt(facts.getProperty("segments")), result.getSegments(), result.toString());
        assertEquals(UpgradeFixture.OUTPUT.toString(), result.getOutputUri());
        assertEquals(0, run.deadLetters(), "dead letters");
        assertEquals(frames, FfmpegCli.countFrames(UpgradeFixture.INPUT), "the fixture's input, by ffprobe");
        assertEquals(frames, FfmpegCli.countFrames(UpgradeFixture.OUTPUT), "every frame in the output, by ffprobe");
    }

    /**
     * Segments committed before the savepoint are neither encoded nor committed again; staged ones
     * are committed once; queued ones are encoded and committed once.
     */
    private static void assertEverySegmentDoneOnce(Run run, Properties facts) {
        TreeSet<Integer> notCommitted = new TreeSet<>(
                IntStream.range(0, Integer.parseInt(facts.getProperty("segments"))).boxed().toList());
        notCommitted.removeAll(UpgradeFixture.parseIndexList(facts.getProperty("segments.committed")));
        TreeSet<Integer> notEncoded = new TreeSet<>(notCommitted);
        notEncoded.removeAll(UpgradeFixture.parseIndexList(facts.getProperty("segments.staged")));
        assertEquals(UpgradeFixture.parseIndexList(facts.getProperty("segments.queued")), notEncoded,
                "the fixture's facts agree with each other: " + facts);
        assertEquals(once(notEncoded), run.encoded(), "segments encoded after the restore (log)");
        assertEquals(once(notCommitted), run.committed(), "segments committed after the restore (log)");
        assertEquals(once(notCommitted), run.committedFiles(),
                "committed segment files created after the restore (filesystem)");
    }

    /** Each segment committed before the savepoint is in the output packet for packet, in its place. */
    private static void assertCommittedSegmentsKept(TreeSet<Integer> committedBefore, Path committedCopies,
                                                    Properties facts) throws IOException {
        long frames = Long.parseLong(facts.getProperty("input.frames"));
        int segments = Integer.parseInt(facts.getProperty("segments"));
        assertEquals(0, frames % segments, "the fixture's segments are of equal length");
        int perSegment = (int) (frames / segments); // a keyframe every segment's worth of frames
        List<String> output = packets(UpgradeFixture.OUTPUT);
        for (int index : committedBefore) {
            assertEquals(packets(committedCopies.resolve(String.format("segment-%05d.mp4", index))),
                    output.subList(index * perSegment, (index + 1) * perSegment),
                    "segment " + index + ", committed before the savepoint, in the output as it was");
        }
    }

    /** What the restored job did, as seen from outside. */
    private record Run(List<UpscaleResult> results, int deadLetters, Map<Integer, Integer> encoded,
                       Map<Integer, Integer> committed, Map<Integer, Integer> committedFiles) {
    }

    /**
     * Starts a broker with the fixture's topics, produces its request record (offset 0: the
     * savepoint's source resumes at 1, after it), restores the job and runs it until the result is
     * published and the video's staging directory is gone.
     */
    private static Run restoreAndFinish(Path fixture, Properties facts, Path savepoint, Path videoStaging)
            throws Exception {
        AvroCodec<UpscaleResult> resultCodec = new AvroCodec<>(UpscaleResult.class);
        int partitions = Integer.parseInt(facts.getProperty("topic.partitions"));
        try (KafkaBroker kafka = KafkaBroker.start();
             TopicClient topics = new TopicClient(kafka.bootstrapServers());
             SegmentEvents events = SegmentEvents.capture(UpgradeFixture.REQUEST_ID)) {
            for (String topic : facts.getProperty("topics").split(",")) {
                kafka.createTopic(topic, partitions);
            }
            topics.send(UpgradeFixture.REQUESTS_TOPIC,
                    Files.readAllBytes(fixture.resolve(UpgradeFixture.REQUEST_RECORD)));
            CommittedFileWatch files = CommittedFileWatch.of(videoStaging);
            List<UpscaleResult> results;
            int deadLetters;
            try (StreamJobOnMiniCluster job = StreamJobOnMiniCluster.start(kafka.bootstrapServers(),
                    UpgradeFixture.STAGING, savepoint, STARTUP)) {
                List<ConsumerRecord<byte[], byte[]>> first = topics.readUntil(UpgradeFixture.RESULTS_TOPIC,
                        whileRunning(job, r -> !r.isEmpty()), FINISH);
                assertFalse(first.isEmpty(), "no result within " + FINISH + "; encoded after the restore: "
                        + events.encoded() + ", committed: " + events.committed());
                awaitGone(job, videoStaging);
                results = topics.readUntil(UpgradeFixture.RESULTS_TOPIC, r -> false, AFTER_RESULT).stream()
                        .map(r -> resultCodec.decode(r.value())).collect(Collectors.toList());
                deadLetters = topics.readUntil(UpgradeFixture.DEAD_LETTER_TOPIC, r -> false, Duration.ofSeconds(2))
                        .size();
                job.failIfEnded();
            } finally {
                files.close();
            }
            return new Run(results, deadLetters, events.encoded(), events.committed(), files.created());
        }
    }

    /** {@code done}, checked on each poll; fails at once, with the job's error, if the job ended. */
    private static Predicate<List<ConsumerRecord<byte[], byte[]>>> whileRunning(
            StreamJobOnMiniCluster job, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        return records -> {
            try {
                job.failIfEnded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return done.test(records);
        };
    }

    /** The assembler deletes a video's staging directory after the checkpoint that follows its publish. */
    private static void awaitGone(StreamJobOnMiniCluster job, Path dir) throws Exception {
        long deadline = System.nanoTime() + CLEANUP.toNanos();
        while (Files.exists(dir)) {
            job.failIfEnded();
            assertTrue(System.nanoTime() < deadline, dir + " still there " + CLEANUP + " after the result: "
                    + UpgradeFixture.files(dir));
            Thread.sleep(100);
        }
    }

    private static Map<Integer, Integer> once(TreeSet<Integer> indices) {
        Map<Integer, Integer> out = new TreeMap<>();
        indices.forEach(i -> out.put(i, 1));
        return out;
    }

    /** Size and MD5 of each video packet, in decode order (ffmpeg's framemd5 of a stream copy). */
    private static List<String> packets(Path file) throws IOException {
        String md5 = new String(FfmpegCli.ffmpegStdout("-i", file.toString(), "-map", "0:v:0", "-c", "copy",
                "-f", "framemd5", "-"), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String line : md5.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] cols = line.split(",");
                out.add(cols[4].trim() + " " + cols[5].trim());
            }
        }
        return out;
    }
}
