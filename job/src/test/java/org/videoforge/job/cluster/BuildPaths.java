package org.videoforge.job.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the build put what the cluster tests start: the job jar, the cluster's classpath, the
 * repository's flink-conf/. All relative to the job module's build directory (the
 * {@code videoforge.build.dir} system property the build passes to tests, else {@code target}).
 */
public final class BuildPaths {
    private BuildPaths() {
    }

    /** job/target. */
    public static Path buildDir() {
        return Paths.get(System.getProperty("videoforge.build.dir", "target")).toAbsolutePath().normalize();
    }

    /** The repository root (the parent of the job module). */
    public static Path repositoryRoot() {
        return buildDir().getParent().getParent();
    }

    /** The repository's flink-conf/ directory (config.yaml). */
    public static Path flinkConfDir() {
        return repositoryRoot().resolve("flink-conf");
    }

    /**
     * The jar of the Flink plugin {@code name} ("metrics-prometheus", "videoforge-gpu"), copied by the
     * build (pre-integration-test) to target/flink-plugins/&lt;name&gt;/.
     */
    public static Path flinkPlugin(String name) {
        Path dir = buildDir().resolve("flink-plugins").resolve(name);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).collect(Collectors.toList());
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one jar in " + dir + ", found " + jars);
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + dir + " (copied in the pre-integration-test phase: run "
                    + "the cluster tests through Maven, `mvn verify` in job/)", e);
        }
    }

    /**
     * The job jar for {@code flink run}: {@code videoforge-job-<version>-flink.jar}, built by the
     * shade plugin in the package phase (so tests using it run as failsafe integration tests).
     */
    public static Path jobJar() {
        try (Stream<Path> files = Files.list(buildDir())) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("videoforge-job-.*-flink\\.jar"))
                    .collect(Collectors.toList());
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one videoforge-job-*-flink.jar in " + buildDir() + ", found "
                        + jars + ": build it with `mvn package` in job/ (tests needing it are *IT, run by `mvn verify`)");
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JobManager's / TaskManagers' / flink client's classpath: what $FLINK_HOME/lib holds for this
     * job (Flink runtime, client, DataStream API, connector base, the Kafka connector with
     * kafka-clients, log4j), resolved from job/src/test/flink-lib/pom.xml by the build
     * (pre-integration-test) into target/flink-cluster-classpath.txt. Never our classes: they come
     * with the job jar.
     */
    public static List<Path> flinkClusterClasspath() {
        return readClasspathFile("flink-cluster-classpath.txt");
    }

    /**
     * The test JVM's own classpath (surefire/failsafe put the real one in
     * {@code surefire.test.class.path} when java.class.path is a manifest-only jar), jars only. The
     * Kafka broker runs on it: kafka_2.13 and its dependencies are test-scoped dependencies of the
     * job module.
     */
    public static List<Path> testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        Set<Path> jars = new LinkedHashSet<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                jars.add(Paths.get(entry));
            }
        }
        return new ArrayList<>(jars);
    }

    private static List<Path> readClasspathFile(String name) {
        Path file = buildDir().resolve(name);
        try {
            String cp = Files.readString(file).trim();
            List<Path> out = new ArrayList<>();
            for (String entry : cp.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    out.add(Paths.get(entry));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + file + " (written in the pre-integration-test phase: run "
                    + "the cluster tests through Maven, `mvn verify` in job/)", e);
        }
    }

    /** A port that was free a moment ago on loopback. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
