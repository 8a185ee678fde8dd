package org.videoforge.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.videoforge.job.cluster.BuildPaths;

/** The repository's Grafana dashboard (k8s/monitoring/) and the metric names its queries use. */
final class GrafanaDashboard {
    /** Prometheus metric names: Flink's reporter prefixes every metric with flink_. */
    private static final Pattern METRIC = Pattern.compile("\\b(flink_[a-zA-Z0-9_]+)\\b");

    private final JsonNode json;

    private GrafanaDashboard(JsonNode json) {
        this.json = json;
    }

    static Path file() {
        return BuildPaths.repositoryRoot().resolve("k8s/monitoring/grafana-dashboard-videoforge.json");
    }

    static GrafanaDashboard load() {
        try {
            return new GrafanaDashboard(new ObjectMapper().readTree(file().toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode json() {
        return json;
    }

    /** Every PromQL expression of every panel and of the template variables. */
    List<String> queries() {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : json.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.path("expr").asText());
            }
        }
        for (JsonNode variable : json.path("templating").path("list")) {
            JsonNode q = variable.path("query");
            if (q.isObject()) {
                out.add(q.path("query").asText());
            }
        }
        return out;
    }

    /** The metric names the queries refer to. */
    Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        for (String q : queries()) {
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
