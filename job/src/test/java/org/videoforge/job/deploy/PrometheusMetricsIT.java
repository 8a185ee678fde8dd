package org.videoforge.job.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.flink.metrics.TelemetryNames;
import org.videoforge.job.cluster.BuildPaths;
import org.videoforge.job.cluster.FlinkRun;
import org.videoforge.job.cluster.FlinkStandaloneCluster;

/**
 * The metrics path end to end: the real standalone cluster with the repository's local config (its
 * Prometheus reporter section) and flink-metrics-prometheus in plugins/, the job jar upscaling the
 * bundled sample, and the reporters' HTTP endpoints scraped while the job runs. Also loads the GPU
 * external resource driver as the GPU config declares it, from its plugin jar.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PrometheusMetricsIT {
    static final String OPERATOR = PrometheusEndpoints.OPERATOR;
    static final String STAGE = OPERATOR + "stage_";
    /** Ports for the JobManager's and the TaskManager's reporter, and spares. */
    private static final int PORTS = 4;

    @TempDir
    static Path dir;

    private static FlinkStandaloneCluster flink;
    private static int firstPort;
    private static final List<PrometheusText.Sample> SEEN = new ArrayList<>();
    private static final Set<String> NAMES = new TreeSet<>();
    private static int scrapesWithVideoForge;

    @BeforeAll
    static void runTheSampleAndScrape() throws Exception {
        firstPort = PrometheusEndpoints.freePortRange(PORTS);
        Configuration gpu = GlobalConfiguration.loadConfiguration(
                BuildPaths.repositoryRoot().resolve("flink-conf/gpu").toString());
        FlinkStandaloneCluster.Builder builder = FlinkStandaloneCluster.builder().taskManagers(1)
                .plugin("metrics-prometheus", BuildPaths.flinkPlugin("metrics-prometheus"))
                .plugin("videoforge-gpu", BuildPaths.flinkPlugin("videoforge-gpu"))
                .set("metrics.reporter.prom.port", firstPort + "-" + (firstPort + PORTS - 1));
        // The GPU config's external resource declaration, as is (the driver finds no GPU in CI).
        gpu.toMap().forEach((k, v) -> {
            if (k.startsWith("external-resource")) {
                builder.set(k, v);
            }
        });
        flink = builder.start();

        Path out = dir.resolve("sample-x2.mp4");
        FlinkRun run = flink.submitVideoForge("-i", BuildPaths.repositoryRoot().resolve("samples/sample-640x360.mp4")
                .toString(), "-o", out.toString(), "--no-progress");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (run.isAlive() && System.nanoTime() < deadline) {
            scrapeAll(http);
            Thread.sleep(200);
        }
        assertEquals(0, run.awaitExit(Duration.ofSeconds(30)), run + "\n" + flink.logTails(40));
        assertTrue(Files.size(out) > 0);
        System.out.printf("%d scrapes with VideoForge metrics, %d metric names%n", scrapesWithVideoForge, NAMES.size());
    }

    @AfterAll
    static void stopCluster() {
        if (flink != null) {
            flink.close();
        }
    }

    private static void scrapeAll(HttpClient http) {
        boolean videoforge = false;
        for (int port = firstPort; port < firstPort + PORTS; port++) {
            String body;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    continue;
                }
                body = r.body();
            } catch (IOException e) {
                continue; // no reporter on this port (a spare) or not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            PrometheusText scrape = PrometheusText.parse(body);
            NAMES.addAll(scrape.names());
            for (PrometheusText.Sample s : scrape.samples()) {
                if (s.name().startsWith(OPERATOR) || s.name().startsWith("flink_jobmanager_job_")) {
                    SEEN.add(s);
                    videoforge |= s.name().startsWith(OPERATOR);
                }
            }
        }
        if (videoforge) {
            scrapesWithVideoForge++;
        }
    }

    private static OptionalDouble max(String name, Predicate<PrometheusText.Sample> where) {
        return SEEN.stream().filter(s -> s.name().equals(name) && where.test(s)).mapToDouble(PrometheusText.Sample::value)
                .filter(v -> !Double.isNaN(v)).max();
    }

    private static double maxOf(String name, Predicate<PrometheusText.Sample> where) {
        OptionalDouble v = max(name, where);
        assertTrue(v.isPresent(), name + " never scraped; names seen: " + NAMES);
        return v.getAsDouble();
    }

    private static Predicate<PrometheusText.Sample> stage(String stage) {
        return s -> s.label("stage").equals(stage);
    }

    @Test
    void everyStageExportsItsLatencyHistogramAverageAndPeak() {
        assertTrue(scrapesWithVideoForge >= 2, "scraped the job's metrics while it ran: " + scrapesWithVideoForge);
        for (String stage : TelemetryNames.STAGES) {
            double p99 = maxOf(STAGE + TelemetryNames.Metrics.LATENCY,
                    stage(stage).and(s -> s.label("quantile").equals("0.99")));
            double p50 = maxOf(STAGE + TelemetryNames.Metrics.LATENCY,
                    stage(stage).and(s -> s.label("quantile").equals("0.5")));
            double avg = maxOf(STAGE + TelemetryNames.Metrics.LATENCY_AVG, stage(stage));
            double peak = maxOf(STAGE + TelemetryNames.Metrics.LATENCY_PEAK, stage(stage));
            assertTrue(p50 > 0 && p99 >= p50, stage + " p50 " + p50 + " p99 " + p99);
            assertTrue(avg > 0 && peak >= avg, stage + " avg " + avg + " peak " + peak);
            assertTrue(maxOf(STAGE + TelemetryNames.Metrics.FRAMES, stage(stage)) > 0, stage + " frames");
            assertTrue(maxOf(STAGE + TelemetryNames.Metrics.LATENCY + "_count", stage(stage)) > 0, stage + " count");
        }
    }

    @Test
    void poolQueueAndBatchMetricsAreExported() {
        assertTrue(maxOf(STAGE + TelemetryNames.Metrics.POOL_MISSES, s -> true) > 0, "first leases allocate");
        assertTrue(maxOf(STAGE + TelemetryNames.Metrics.POOL_HITS, s -> true) > 0, "later leases are recycled");
        assertTrue(maxOf(OPERATOR + "pool_" + TelemetryNames.Metrics.POOL_HELD_BYTES, s -> s.label("pool").equals("host"))
                > 0, "the CPU path's frames are in the host pool");
        assertEquals(0.0, maxOf(OPERATOR + "pool_" + TelemetryNames.Metrics.POOL_LIMIT_BYTES,
                s -> s.label("pool").equals("host")), "the host pool has no ceiling");
        for (String stage : List.of("decode", "encode")) {
            assertTrue(maxOf(STAGE + TelemetryNames.Metrics.QUEUE_DEPTH, stage(stage)) >= 0, stage + " queue");
        }
        assertEquals(1.0, maxOf(STAGE + TelemetryNames.Metrics.BATCH_SIZE,
                stage("inference").and(s -> s.label("quantile").equals("0.5"))), "one frame per model run");
        assertEquals(0.0, maxOf(STAGE + TelemetryNames.Metrics.HOST_COPIES, stage("preprocess")), "CPU path: no copies");
    }

    /**
     * The dashboard plots only what the cluster exported during the job. The one exception is the
     * segment commit counter: only the segmented jobs commit segments, and StreamingJobIT scrapes
     * it from a running stream job; this single-video job must not export it.
     */
    @Test
    void dashboardRefersOnlyToExportedMetrics() {
        String segments = OPERATOR + TelemetryNames.Metrics.SEGMENTS_COMMITTED;
        Set<String> missing = new TreeSet<>(GrafanaDashboard.load().metricNames());
        missing.removeAll(NAMES);
        assertEquals(Set.of(segments), missing, "dashboard metrics never exported; exported: " + NAMES);
        assertFalse(NAMES.contains(segments), "a single-video job commits no segments");
    }

    @Test
    void theTaskManagerLoadsTheGpuDriverFromItsPlugin() throws IOException {
        String log = Files.readString(flink.logDir().resolve("flink-taskexecutor-tm-0.log"));
        assertTrue(log.contains("Add external resources driver for gpu"), "driver loaded from plugins/videoforge-gpu");
        boolean failed = log.contains("Failed to retrieve information of external resource gpu");
        if (!Files.exists(Path.of("/dev/nvidia0")) && !Files.exists(Path.of("/dev/nvidiactl"))) {
            assertTrue(failed, "no NVIDIA hardware here: the driver must report that it found no GPU");
        }
        if (failed) {
            assertTrue(log.contains("configured but no CUDA device is usable") || log.contains("sees only"),
                    "our driver's reason is in the log");
        }
    }

    /** The first of {@code n} consecutive loopback ports that were all free a moment ago. */
}
