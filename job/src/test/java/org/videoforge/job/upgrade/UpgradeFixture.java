package org.videoforge.job.upgrade;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.util.FileUtils;

/**
 * The savepoint fixture of issue 15 (upgrades from a savepoint): a savepoint of the segmented
 * streaming job taken mid-video by an older version of the code, with the files its state points
 * at. The state holds absolute paths (input, staging, output), so the job runs under a fixed root,
 * {@link #ROOT}, both when the fixture is written ({@link UpgradeFixtureWriter}) and when it is
 * restored ({@link SavepointUpgradeTest}).
 *
 * <p>Layout of a fixture directory ({@code job/src/test/resources/upgrade/v1/}):
 * <pre>
 *  README.md            how and from which commit it was written
 *  fixture.properties   facts: request id, topics, frames, segments committed and queued at the savepoint
 *  SHA256SUMS           every other file's digest ({@code sha256sum -c SHA256SUMS} in the directory)
 *  request.avro         the Kafka record value of the one UpscaleRequest, as produced
 *  input.mp4            the video (copied to ROOT/input.mp4)
 *  staging/             the staging directory as the stop left it (copied to ROOT/staging)
 *  savepoint/           the savepoint (_metadata), canonical format
 * </pre>
 */
final class UpgradeFixture {
    /** Where the job's files live while it runs: fixed, because the savepoint records absolute paths. */
    static final Path ROOT = Path.of("/tmp/videoforge-upgrade-v1");
    static final Path INPUT = ROOT.resolve("input.mp4");
    static final Path STAGING = ROOT.resolve("staging");
    static final Path OUTPUT = ROOT.resolve("upgrade-v1.mp4");
    static final Path SAVEPOINTS = ROOT.resolve("savepoints");

    static final String REQUEST_ID = "upgrade-v1";
    static final String REQUESTS_TOPIC = "requests";
    static final String RESULTS_TOPIC = "results";
    static final String DEAD_LETTER_TOPIC = "dead-letters";
    static final List<String> TOPICS = List.of(REQUESTS_TOPIC, RESULTS_TOPIC, DEAD_LETTER_TOPIC);
    static final int PARTITIONS = 1;

    /** The clip: 128x72, 16 fps, 30 s, a keyframe every 16 frames: 30 one-second segments. */
    static final int WIDTH = 128;
    static final int HEIGHT = 72;
    static final int FPS = 16;
    static final int FRAMES = 480;
    static final int KEYFRAME_INTERVAL = 16;
    static final int SEGMENTS = 30;

    /** The fixture in the source tree, relative to the repository root. */
    static final String SOURCE_DIR = "job/src/test/resources/upgrade/v1";
    /** The same on the test classpath. */
    static final String RESOURCE_DIR = "upgrade/v1";

    static final String README = "README.md";
    static final String FACTS = "fixture.properties";
    static final String CHECKSUMS = "SHA256SUMS";
    static final String REQUEST_RECORD = "request.avro";
    static final String INPUT_FILE = "input.mp4";
    static final String STAGING_DIR = "staging";
    static final String SAVEPOINT_DIR = "savepoint";

    /** A committed segment file, as the segment planner names them (0-based index). */
    private static final Pattern COMMITTED = Pattern.compile("segment-(\\d+)\\.mp4");
    /** A segment encoded and staged under the encoder's temporary name, awaiting its commit. */
    private static final Pattern STAGED = Pattern.compile("\\.segment-(\\d+)\\.mp4\\.[0-9a-f]+\\.part");

    private UpgradeFixture() {
    }

    /** The fixture directory on the test classpath (target/test-classes/upgrade/v1). */
    static Path onClasspath() {
        URL facts = UpgradeFixture.class.getClassLoader().getResource(RESOURCE_DIR + "/" + FACTS);
        if (facts == null) {
            throw new IllegalStateException(RESOURCE_DIR + "/" + FACTS + " is not on the test classpath: write the "
                    + "fixture with UpgradeFixtureWriter (see " + SOURCE_DIR + "/" + README + ")");
        }
        try {
            return Path.of(facts.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Holds the fixed root for this JVM until closed: engineers and CI may run the writer or the
     * test from several worktrees at once, and they would overwrite each other's files.
     */
    static AutoCloseable lockRoot() throws IOException {
        FileChannel channel = FileChannel.open(Path.of(ROOT + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.lock();
        return () -> {
            lock.release();
            channel.close();
        };
    }

    /** Deletes the root and creates it empty. */
    static void resetRoot() throws IOException {
        FileUtils.deleteDirectory(ROOT.toFile());
        Files.createDirectories(ROOT);
    }

    /** The video's own staging directory (the intake names it after the request id). */
    static Path videoStaging(Path stagingRoot) throws IOException {
        try (Stream<Path> dirs = Files.list(stagingRoot)) {
            List<Path> found = dirs.filter(d -> d.getFileName().toString().startsWith(REQUEST_ID + "-")).toList();
            if (found.size() > 1) {
                throw new IllegalStateException("more than one staging directory for " + REQUEST_ID + ": " + found);
            }
            return found.isEmpty() ? null : found.get(0);
        }
    }

    /** Indices of the committed segment files in a video's staging directory (none if it is gone). */
    static TreeSet<Integer> committedSegments(Path videoStaging) throws IOException {
        return segmentIndices(videoStaging, COMMITTED);
    }

    /** Indices of the segments staged under temporary names, whose commit is pending. */
    static TreeSet<Integer> stagedSegments(Path videoStaging) throws IOException {
        return segmentIndices(videoStaging, STAGED);
    }

    private static TreeSet<Integer> segmentIndices(Path videoStaging, Pattern name) throws IOException {
        TreeSet<Integer> indices = new TreeSet<>();
        if (videoStaging == null || !Files.isDirectory(videoStaging)) {
            return indices;
        }
        try (Stream<Path> files = Files.list(videoStaging)) {
            for (Path f : files.toList()) {
                Matcher m = name.matcher(f.getFileName().toString());
                if (m.matches()) {
                    indices.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return indices;
    }

    static String indexList(TreeSet<Integer> indices) {
        return indices.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static TreeSet<Integer> parseIndexList(String list) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(Integer.parseInt(s.trim()));
            }
        }
        return out;
    }

    static Properties readFacts(Path fixtureDir) throws IOException {
        Properties facts = new Properties();
        try (InputStream in = Files.newInputStream(fixtureDir.resolve(FACTS))) {
            facts.load(in);
        }
        return facts;
    }

    /** Regular files under {@code dir}, relative, sorted; hidden files (staged segments) included. */
    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }

    /** {@code sha256sum}'s format: "digest  relative/path" per line. */
    static String checksums(Path dir, List<Path> files) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Path f : files) {
            out.append(sha256(dir.resolve(f))).append("  ").append(f).append('\n');
        }
        return out.toString();
    }

    /**
     * Checks every file named in the fixture's SHA256SUMS against its digest, and that nothing else
     * is there: a fixture that lost a file (a .gitignore, a resource filter, an LFS pointer) fails
     * here, not as a puzzling restore error.
     */
    static void verify(Path fixtureDir) throws IOException {
        String expected = Files.readString(fixtureDir.resolve(CHECKSUMS));
        List<Path> listed = new ArrayList<>();
        for (String line : expected.split("\n")) {
            if (!line.isBlank()) {
                listed.add(Path.of(line.substring(line.indexOf("  ") + 2)));
            }
        }
        List<Path> present = new ArrayList<>(files(fixtureDir));
        present.removeAll(List.of(Path.of(README), Path.of(FACTS), Path.of(CHECKSUMS)));
        if (!present.equals(listed)) {
            throw new IllegalStateException("fixture " + fixtureDir + " holds " + present + " but " + CHECKSUMS
                    + " lists " + listed);
        }
        String actual = checksums(fixtureDir, listed);
        if (!actual.equals(expected)) {
            throw new IllegalStateException("fixture " + fixtureDir + " differs from " + CHECKSUMS + ":\nexpected\n"
                    + expected + "actual\n" + actual);
        }
    }

    /** Copies a directory tree, keeping each file's modification time. */
    static void copyTree(Path from, Path to) throws IOException {
        for (Path f : files(from)) {
            Path target = to.resolve(f.toString());
            Files.createDirectories(target.getParent());
            Files.copy(from.resolve(f), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
