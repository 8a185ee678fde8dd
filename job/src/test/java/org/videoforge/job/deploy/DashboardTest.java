package org.videoforge.job.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.metrics.TelemetryNames;

/**
 * The Grafana dashboard against the metric names in the code (PrometheusMetricsIT checks it against a
 * real scrape): it plots every VideoForge metric and only names the code can export.
 */
class DashboardTest {
    private static final String OPERATOR = PrometheusMetricsIT.OPERATOR;
    private static final Set<String> STAGE = Set.of(TelemetryNames.Metrics.LATENCY, TelemetryNames.Metrics.LATENCY_AVG,
            TelemetryNames.Metrics.LATENCY_PEAK, TelemetryNames.Metrics.FRAMES, TelemetryNames.Metrics.QUEUE_DEPTH,
            TelemetryNames.Metrics.POOL_HITS, TelemetryNames.Metrics.POOL_MISSES, TelemetryNames.Metrics.HOST_COPIES,
            TelemetryNames.Metrics.BATCH_SIZE);
    private static final Set<String> POOL = Set.of(TelemetryNames.Metrics.POOL_HELD_BYTES,
            TelemetryNames.Metrics.POOL_LIMIT_BYTES);
    private static final Set<String> GROUP = Set.of(TelemetryNames.Metrics.SEGMENTS_COMMITTED);

    /** The Prometheus names of every metric TelemetryNames.Metrics declares (scope by the table above). */
    static Set<String> exportable() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        Set<String> declared = new TreeSet<>();
        for (Field f : TelemetryNames.Metrics.class.getFields()) {
            String v = (String) f.get(null);
            if (!f.getName().equals("GROUP") && !f.getName().endsWith("_KEY")) {
                declared.add(v);
            }
        }
        Set<String> tabled = new TreeSet<>(STAGE);
        tabled.addAll(POOL);
        tabled.addAll(GROUP);
        assertEquals(declared, tabled, "a new metric name: give it its scope here");
        STAGE.forEach(n -> names.add(OPERATOR + "stage_" + n));
        POOL.forEach(n -> names.add(OPERATOR + "pool_" + n));
        GROUP.forEach(n -> names.add(OPERATOR + n));
        return names;
    }

    @Test
    void plotsEveryVideoForgeMetricAndNoUnknownOne() throws IllegalAccessException {
        Set<String> plotted = new TreeSet<>(GrafanaDashboard.load().metricNames());
        Set<String> ours = new TreeSet<>(plotted);
        ours.removeIf(n -> !n.startsWith(OPERATOR));
        Set<String> exportable = exportable();
        Set<String> unknown = new TreeSet<>(ours);
        unknown.removeAll(exportable);
        assertEquals(Set.of(), unknown, "dashboard names the code does not export");
        Set<String> unplotted = new TreeSet<>(exportable);
        unplotted.removeAll(ours);
        assertEquals(Set.of(), unplotted, "metrics without a panel");
        plotted.removeAll(ours);
        for (String flink : plotted) {
            assertTrue(flink.startsWith("flink_jobmanager_job_"), "Flink's own job metrics only: " + flink);
        }
    }

    @Test
    void everyPanelHasAQueryAndTheJobVariableFiltersThem() {
        var json = GrafanaDashboard.load().json();
        for (var panel : json.path("panels")) {
            assertTrue(panel.path("targets").size() > 0, panel.path("title").asText());
        }
        List<String> queries = GrafanaDashboard.load().queries();
        assertTrue(queries.stream().filter(q -> !q.startsWith("label_values")).allMatch(q -> q.contains("job_name=~\"$job\"")),
                "every query follows the job selector");
    }
}
