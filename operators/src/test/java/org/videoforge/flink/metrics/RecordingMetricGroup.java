package org.videoforge.flink.metrics;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** A metric group that remembers what was registered, by dotted path ("videoforge.pool.host.heldBytes"). */
final class RecordingMetricGroup extends UnregisteredMetricsGroup {
    private final String path;
    private final Map<String, Metric> metrics;

    RecordingMetricGroup() {
        this("", new TreeMap<>());
    }

    private RecordingMetricGroup(String path, Map<String, Metric> metrics) {
        this.path = path;
        this.metrics = metrics;
    }

    Map<String, Metric> metrics() {
        return metrics;
    }

    Object gaugeValue(String name) {
        Metric m = metrics.get(name);
        if (!(m instanceof Gauge)) {
            throw new AssertionError("no gauge " + name + " in " + metrics.keySet());
        }
        return ((Gauge<?>) m).getValue();
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    @Override
    public MetricGroup addGroup(String name) {
        return new RecordingMetricGroup(child(name), metrics);
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
        return new RecordingMetricGroup(child(key + "." + value), metrics);
    }

    @Override
    public Counter counter(String name) {
        return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        metrics.put(child(name), counter);
        return counter;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        metrics.put(child(name), gauge);
        return gauge;
    }

    @Override
    public <H extends Histogram> H histogram(String name, H histogram) {
        metrics.put(child(name), histogram);
        return histogram;
    }
}
