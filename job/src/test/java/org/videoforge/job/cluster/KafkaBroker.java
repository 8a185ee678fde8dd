package org.videoforge.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (the {@code kafka_2.13} release matching the connector's
 * kafka-clients), started the way {@code kafka-storage.sh format} + {@code kafka-server-start.sh}
 * start one: its own JVM, KRaft mode, a single node that is both broker and controller, listening on
 * free loopback ports, with its log dirs in a temporary directory.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start()) {
 *     kafka.createTopic("videos", 2);
 *     String bootstrap = kafka.bootstrapServers();   // 127.0.0.1:<port>
 * }                                                  // process killed, directory deleted
 * }</pre>
 *
 * <p>Classpath: the test JVM's own (kafka_2.13 and its dependencies are test-scoped dependencies of
 * the job module), jars only. Set {@code -Dvideoforge.cluster.keep=true} to keep the directory
 * (server.log, data) after close.
 */
public final class KafkaBroker implements AutoCloseable {
    /** How long start() waits for the broker to answer describeCluster. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int brokerPort;
    private final List<String> jvm;
    private final List<Path> classpath;
    private ChildJvm process;
    private final Admin admin;
    private final boolean ownsDir;

    private KafkaBroker(Path dir, boolean ownsDir, int brokerPort, List<String> jvm, List<Path> classpath,
                        ChildJvm process, Admin admin) {
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.brokerPort = brokerPort;
        this.jvm = jvm;
        this.classpath = classpath;
        this.process = process;
        this.admin = admin;
    }

    /** Starts a broker in a fresh temporary directory (deleted by close()). */
    public static KafkaBroker start() {
        try {
            return start(Files.createTempDirectory("videoforge-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a broker with its config, logs and data under {@code dir} (left in place by close()). */
    public static KafkaBroker start(Path dir) {
        return start(dir, false);
    }

    private static KafkaBroker start(Path dir, boolean ownsDir) {
        long t0 = System.nanoTime();
        int brokerPort = BuildPaths.freePort();
        int controllerPort = BuildPaths.freePort();
        Path config = dir.resolve("server.properties");
        Path log4j = dir.resolve("log4j2.properties");
        Path data = dir.resolve("data");
        try {
            Files.createDirectories(data);
            Files.writeString(config, String.join("\n",
                    "# KRaft combined mode: one process is the broker and the (single-voter) controller.",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "log.dirs=" + data,
                    "num.partitions=1",
                    "# One broker: internal topics cannot have 3 replicas.",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "# Consumers in tests join at once instead of waiting 3 s for more members.",
                    "group.initial.rebalance.delay.ms=0",
                    ""));
            Files.writeString(log4j, String.join("\n",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.file.ref = file",
                    "appender.file.type = File",
                    "appender.file.name = file",
                    "appender.file.fileName = " + dir.resolve("server.log"),
                    "appender.file.layout.type = PatternLayout",
                    "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        List<Path> classpath = BuildPaths.testClasspath();
        // kafka-run-class.sh's flags, with a smaller heap than kafka-server-start.sh's 1 GiB: a test
        // broker holds a few small topics.
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-Xms128m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4j, "-Dkafka.logs.dir=" + dir));

        // kafka-storage.sh format -t <cluster id> -c server.properties: KRaft needs formatted log dirs.
        ChildJvm.run("kafka-storage format", jvm, classpath, "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
                dir, dir.resolve("storage-format.out"), Map.of(), Duration.ofSeconds(60));

        // kafka-server-start.sh server.properties
        ChildJvm broker = launch(jvm, classpath, dir);
        KafkaBroker kafka = null;
        try {
            long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
            // The admin client logs a warning per refused connection: first wait for the listener.
            awaitListening(broker, brokerPort, deadline, dir);
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + brokerPort);
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
            props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
            kafka = new KafkaBroker(dir, ownsDir, brokerPort, jvm, classpath, broker, Admin.create(props));
            kafka.awaitReady(deadline);
        } catch (RuntimeException | Error e) {
            if (kafka != null) {
                kafka.close();
            } else {
                broker.kill();
                if (ownsDir && !Boolean.getBoolean("videoforge.cluster.keep")) {
                    ChildJvm.deleteTree(dir);
                }
            }
            throw e;
        }
        System.out.printf("kafka broker %s up in %.1f s (pid %d, dir %s)%n", kafka.bootstrapServers(),
                (System.nanoTime() - t0) / 1e9, broker.pid(), dir);
        return kafka;
    }

    /** kafka-server-start.sh server.properties, on a formatted directory. */
    private static ChildJvm launch(List<String> jvm, List<Path> classpath, Path dir) {
        return ChildJvm.start("kafka broker", jvm, classpath, "kafka.Kafka", List.of(dir.resolve("server.properties")
                .toString()), dir, dir.resolve("kafka.out"), Map.of());
    }

    /**
     * Stops the broker as an operator would (SIGTERM: a controlled shutdown), keeps it down for
     * {@code downtime}, and starts it again on the same ports and data; returns when it answers.
     */
    public void restart(Duration downtime) {
        process.process().destroy();
        process.awaitExit(Duration.ofSeconds(60));
        sleep(downtime.toMillis());
        process = launch(jvm, classpath, dir);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        awaitListening(process, brokerPort, deadline, dir);
        awaitReady(deadline);
        System.out.printf("kafka broker %s restarted (pid %d)%n", bootstrapServers(), process.pid());
    }

    private static void awaitListening(ChildJvm broker, int port, long deadline, Path dir) {
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("kafka broker exited with " + broker.process().exitValue()
                        + " while starting:\n" + broker.tail(40) + "\n" + ChildJvm.tail(dir.resolve("server.log"), 40));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IllegalStateException("kafka broker did not listen on 127.0.0.1:" + port + " within "
                + STARTUP_TIMEOUT + ":\n" + ChildJvm.tail(dir.resolve("server.log"), 40));
    }

    private void awaitReady(long deadline) {
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kafka broker exited with " + process.process().exitValue()
                        + " while starting:\n" + process.tail(40) + "\n" + ChildJvm.tail(dir.resolve("server.log"), 40));
            }
            try {
                if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                        .get(3, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(200);
        }
        throw new IllegalStateException("kafka broker at " + bootstrapServers() + " did not answer describeCluster within "
                + STARTUP_TIMEOUT + " (last error: " + last + "):\n" + ChildJvm.tail(dir.resolve("server.log"), 40));
    }

    /** host:port for bootstrap.servers. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Creates a topic with one replica; waits until the broker confirms it. */
    public void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topic " + name, e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    /** An admin client connected to this broker (owned by the broker: do not close it). */
    public Admin admin() {
        return admin;
    }

    /** The broker's directory: server.properties, server.log, data/. */
    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the broker process (kill -9) and deletes its directory (if start() created it). */
    @Override
    public void close() {
        try {
            admin.close(Duration.ofSeconds(2));
        } catch (RuntimeException ignored) {
            // The broker is going away anyway.
        }
        process.kill();
        if (ownsDir && !Boolean.getBoolean("videoforge.cluster.keep")) {
            ChildJvm.deleteTree(dir);
        } else {
            System.out.println("kafka broker directory kept: " + dir);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
