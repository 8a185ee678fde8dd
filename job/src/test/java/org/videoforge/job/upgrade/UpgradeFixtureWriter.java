package org.videoforge.job.upgrade;

import static org.videoforge.job.upgrade.UpgradeFixture.indexList;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.util.FileUtils;
import org.videoforge.contract.UpscaleRequest;
import org.videoforge.flink.request.AvroCodec;
import org.videoforge.frame.Rational;
import org.videoforge.job.cluster.KafkaBroker;
import org.videoforge.job.segmented.TopicClient;
import org.videoforge.testing.SyntheticClips;

/**
 * Writes the savepoint fixture that {@link SavepointUpgradeTest} restores (see {@link UpgradeFixture}
 * for its layout). Not a test: run it by hand, from the repository root, with the code whose
 * savepoints the fixture is to stand for (the README it writes says how):
 *
 * <ol>
 *   <li>makes the clip (SyntheticClips: H.264 128x72, 16 fps, 30 s, a keyframe every second) and the
 *       request record under the fixed root {@code /tmp/videoforge-upgrade-v1};</li>
 *   <li>starts the test Kafka broker with the topics, and {@code videoforge stream} on an in-process
 *       MiniCluster ({@link StreamJobOnMiniCluster});</li>
 *   <li>produces the request, waits until at least {@link #MIN_COMMITTED} segments are committed,
 *       stops the job with a canonical savepoint;</li>
 *   <li>checks that the video was cut mid-way: every segment is either committed, staged for
 *       commit or queued in the Decode stage's state, exactly one of them, and some are queued;
 *       no result was published;</li>
 *   <li>copies the savepoint, the clip and the staging directory into the fixture directory with
 *       the request record, the facts, checksums and a README.</li>
 * </ol>
 *
 * Usage: {@code UpgradeFixtureWriter [FIXTURE_DIR]} (default {@value UpgradeFixture#SOURCE_DIR}).
 */
public final class UpgradeFixtureWriter {
    /** Segments committed before the stop: more than one checkpoint's worth of progress. */
    static final int MIN_COMMITTED = 2;
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration FIRST_COMMITS = Duration.ofSeconds(300);
    private static final Duration STOP = Duration.ofSeconds(180);

    private UpgradeFixtureWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path fixture = Path.of(args.length > 0 ? args[0] : UpgradeFixture.SOURCE_DIR).toAbsolutePath();
        Path repo = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(repo.resolve("job/pom.xml"))) {
            throw new IllegalStateException("run from the repository root (no job/pom.xml in " + repo + ")");
        }
        int exit = 1;
        try (AutoCloseable lock = UpgradeFixture.lockRoot()) {
            write(fixture, Provenance.of(repo));
            exit = 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        }
        System.exit(exit); // Kafka and Flink client threads that linger must not keep the JVM alive
    }

    private static void write(Path fixture, Provenance provenance) throws Exception {
        UpgradeFixture.resetRoot();
        Files.createDirectories(UpgradeFixture.STAGING);
        SyntheticClips.h264(UpgradeFixture.INPUT, UpgradeFixture.WIDTH, UpgradeFixture.HEIGHT, UpgradeFixture.FRAMES,
                new Rational(UpgradeFixture.FPS, 1), UpgradeFixture.KEYFRAME_INTERVAL);
        byte[] request = new AvroCodec<>(UpscaleRequest.class).encode(UpscaleRequest.newBuilder()
                .setRequestId(UpgradeFixture.REQUEST_ID)
                .setInputUri(UpgradeFixture.INPUT.toUri().toString())
                .setOutputUri(UpgradeFixture.OUTPUT.toString())
                .build());

        Path savepoint;
        Map<Integer, Integer> encodedBeforeStop;
        try (KafkaBroker kafka = KafkaBroker.start();
             TopicClient topics = new TopicClient(kafka.bootstrapServers());
             SegmentEvents events = SegmentEvents.capture(UpgradeFixture.REQUEST_ID)) {
            UpgradeFixture.TOPICS.forEach(t -> kafka.createTopic(t, UpgradeFixture.PARTITIONS));
            try (StreamJobOnMiniCluster job = StreamJobOnMiniCluster.start(kafka.bootstrapServers(),
                    UpgradeFixture.STAGING, null, STARTUP)) {
                topics.send(UpgradeFixture.REQUESTS_TOPIC, request);
                awaitCommitted(job);
                savepoint = job.stopWithSavepoint(UpgradeFixture.SAVEPOINTS, STOP);
            }
            encodedBeforeStop = events.encoded();
            for (String topic : List.of(UpgradeFixture.RESULTS_TOPIC, UpgradeFixture.DEAD_LETTER_TOPIC)) {
                int records = topics.readUntil(topic, r -> false, Duration.ofSeconds(5)).size();
                check(records == 0, topic + " holds " + records + " record(s) at the stop: the video must be mid-way");
            }
        }

        Path videoStaging = UpgradeFixture.videoStaging(UpgradeFixture.STAGING);
        TreeSet<Integer> committed = UpgradeFixture.committedSegments(videoStaging);
        TreeSet<Integer> staged = UpgradeFixture.stagedSegments(videoStaging);
        SavepointContents contents = SavepointContents.read(savepoint);
        TreeSet<Integer> queued = contents.queuedSegments();
        checkCutMidVideo(committed, staged, queued, encodedBeforeStop);
        System.out.printf("savepoint %s: %d segments committed %s, %d staged %s, %d queued %s%n", savepoint,
                committed.size(), committed, staged.size(), staged, queued.size(), queued);
        store(fixture, provenance, savepoint, contents, request, committed, staged, queued);
    }

    /** Copies what the restore needs into the fixture directory, with the facts, checksums and README. */
    private static void store(Path fixture, Provenance provenance, Path savepoint, SavepointContents contents,
                              byte[] request, TreeSet<Integer> committed, TreeSet<Integer> staged,
                              TreeSet<Integer> queued) throws IOException {
        FileUtils.deleteDirectory(fixture.toFile());
        Files.createDirectories(fixture);
        UpgradeFixture.copyTree(savepoint, fixture.resolve(UpgradeFixture.SAVEPOINT_DIR));
        UpgradeFixture.copyTree(UpgradeFixture.STAGING, fixture.resolve(UpgradeFixture.STAGING_DIR));
        Files.copy(UpgradeFixture.INPUT, fixture.resolve(UpgradeFixture.INPUT_FILE));
        Files.write(fixture.resolve(UpgradeFixture.REQUEST_RECORD), request);
        List<Path> files = UpgradeFixture.files(fixture);
        Files.writeString(fixture.resolve(UpgradeFixture.CHECKSUMS), UpgradeFixture.checksums(fixture, files));

        Properties facts = new Properties();
        facts.setProperty("request.id", UpgradeFixture.REQUEST_ID);
        facts.setProperty("topics", String.join(",", UpgradeFixture.TOPICS));
        facts.setProperty("topic.partitions", String.valueOf(UpgradeFixture.PARTITIONS));
        facts.setProperty("input.frames", String.valueOf(UpgradeFixture.FRAMES));
        facts.setProperty("segments", String.valueOf(UpgradeFixture.SEGMENTS));
        facts.setProperty("segments.committed", indexList(committed));
        facts.setProperty("segments.staged", indexList(staged));
        facts.setProperty("segments.queued", indexList(queued));
        facts.setProperty("savepoint.checkpoint-id", String.valueOf(contents.checkpointId()));
        facts.setProperty("written.commit", provenance.head());
        facts.setProperty("written.main-sources-commit", provenance.mainSources());
        facts.setProperty("written.flink-version", EnvironmentInformation.getVersion());
        StringWriter text = new StringWriter();
        facts.store(text, "Savepoint fixture of the segmented streaming job (UpgradeFixtureWriter)");
        // Properties.store adds a date comment and no order; sorted and without it, a rewrite diffs cleanly.
        Files.writeString(fixture.resolve(UpgradeFixture.FACTS), text.toString().lines()
                .filter(l -> !l.matches("#\\w{3} .*")).sorted().collect(Collectors.joining("\n", "", "\n")));

        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(fixture.resolve(f));
        }
        Files.writeString(fixture.resolve(UpgradeFixture.README), FixtureReadme.text(provenance, contents, committed,
                staged, queued, files, fixture, bytes), StandardCharsets.UTF_8);
        System.out.printf("fixture written to %s: %d files, %d bytes%n", fixture, files.size(), bytes);
    }

    /** Waits until at least MIN_COMMITTED segments are committed; fails if the video got done first. */
    private static void awaitCommitted(StreamJobOnMiniCluster job) throws Exception {
        long deadline = System.nanoTime() + FIRST_COMMITS.toNanos();
        while (System.nanoTime() < deadline) {
            job.failIfEnded();
            Path dir = UpgradeFixture.videoStaging(UpgradeFixture.STAGING);
            int committed = UpgradeFixture.committedSegments(dir).size();
            check(committed < UpgradeFixture.SEGMENTS, "all segments were committed before the stop: the fixture "
                    + "needs a mid-video savepoint (make the clip longer)");
            if (committed >= MIN_COMMITTED) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(MIN_COMMITTED + " committed segments not seen within " + FIRST_COMMITS
                + " in " + UpgradeFixture.STAGING);
    }

    /**
     * Every segment is in exactly one place: committed, staged (its commit in the savepoint) or
     * queued (in the Decode stage's state); some are queued; what was encoded before the stop is
     * exactly what is committed or staged, each once.
     */
    private static void checkCutMidVideo(TreeSet<Integer> committed, TreeSet<Integer> staged, TreeSet<Integer> queued,
                                         Map<Integer, Integer> encoded) {
        check(committed.size() >= MIN_COMMITTED, "only " + committed + " committed");
        check(!queued.isEmpty(), "no segment was queued at the savepoint: " + committed + " committed, " + staged
                + " staged");
        List<Integer> all = new ArrayList<>(committed);
        all.addAll(staged);
        all.addAll(queued);
        all.sort(null);
        check(all.equals(IntStream.range(0, UpgradeFixture.SEGMENTS).boxed().toList()),
                "segments neither committed, staged nor queued, or in two places: committed " + committed + ", staged "
                        + staged + ", queued " + queued);
        TreeSet<Integer> done = new TreeSet<>(committed);
        done.addAll(staged);
        check(encoded.keySet().equals(done) && encoded.values().stream().allMatch(n -> n == 1),
                "encoded before the stop " + encoded + " is not what is committed or staged, once each: " + done);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /** Which code wrote the fixture: HEAD, and the last commit that changed main sources or poms. */
    record Provenance(String head, String mainSources, String date) {
        private static final List<String> MAIN = List.of("native/src/main", "operators/src/main", "job/src/main",
                "pom.xml", "native/pom.xml", "operators/pom.xml", "job/pom.xml");

        static Provenance of(Path repo) throws Exception {
            List<String> status = new ArrayList<>(List.of("git", "status", "--porcelain", "--"));
            status.addAll(MAIN);
            String dirty = git(repo, status);
            if (!dirty.isBlank()) {
                throw new IllegalStateException("main sources differ from HEAD; commit them first, so that the "
                        + "fixture names the code that wrote it:\n" + dirty);
            }
            List<String> log = new ArrayList<>(List.of("git", "log", "-1", "--format=%H", "--"));
            log.addAll(MAIN);
            return new Provenance(git(repo, List.of("git", "rev-parse", "HEAD")).trim(), git(repo, log).trim(),
                    ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        }

        private static String git(Path repo, List<String> cmd) throws Exception {
            Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        }
    }
}
