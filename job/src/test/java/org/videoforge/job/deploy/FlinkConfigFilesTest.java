package org.videoforge.job.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceDriverFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.core.FrameDevices;
import org.videoforge.flink.resource.GpuDriverFactory;

/**
 * flink-conf/config.yaml (local/test cluster) and flink-conf/gpu/config.yaml (GPU TaskManagers), read
 * by Flink's own loader and checked as typed values.
 */
class FlinkConfigFilesTest {
    static final String PROMETHEUS_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    static Path localDir() {
        return RepoFiles.root().resolve("flink-conf");
    }

    static Path gpuDir() {
        return RepoFiles.root().resolve("flink-conf/gpu");
    }

    static Configuration load(Path dir) {
        return GlobalConfiguration.loadConfiguration(dir.toString());
    }

    @Test
    void gpuTaskManagersHaveOneSlotPerGpuAndOurDriver() throws Exception {
        Configuration c = load(gpuDir());
        assertEquals(List.of(FrameDevices.GPU_RESOURCE), c.get(org.apache.flink.configuration.ExternalResourceOptions
                .EXTERNAL_RESOURCE_LIST));
        long gpus = Long.parseLong(c.getString("external-resource.gpu.amount", "0"));
        assertTrue(gpus >= 1, "gpus per TaskManager");
        assertEquals(gpus, (long) c.get(TaskManagerOptions.NUM_TASK_SLOTS), "one slot per GPU");
        String factory = c.getString("external-resource.gpu.driver-factory.class", "");
        assertEquals(GpuDriverFactory.class.getName(), factory);
        assertTrue(ExternalResourceDriverFactory.class.isAssignableFrom(Class.forName(factory)));
        assertEquals("nvidia.com/gpu", c.getString("external-resource.gpu.kubernetes.config-key", ""));
    }

    @Test
    void bothConfigsCheckpointExactlyOnceAndKeepCheckpointsOnCancel() {
        for (Path dir : List.of(localDir(), gpuDir())) {
            Configuration c = load(dir);
            Duration interval = c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL);
            assertTrue(interval != null && !interval.isZero() && interval.compareTo(Duration.ofMinutes(5)) <= 0,
                    dir + ": checkpointing on, interval " + interval);
            assertEquals(CheckpointingMode.EXACTLY_ONCE, c.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE), dir.toString());
            assertEquals(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION,
                    c.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION), dir.toString());
            assertEquals("hashmap", c.get(StateBackendOptions.STATE_BACKEND), dir.toString());
            assertEquals("filesystem", c.get(CheckpointingOptions.CHECKPOINT_STORAGE), dir.toString());
            assertTrue(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY).startsWith("file:///"), dir.toString());
            assertTrue(c.get(CheckpointingOptions.SAVEPOINT_DIRECTORY).startsWith("file:///"), dir.toString());
            assertTrue(List.of("fixed-delay", "exponential-delay").contains(c.get(RestartStrategyOptions.RESTART_STRATEGY)),
                    dir + ": restart strategy");
            assertEquals(MemorySize.parse("64m"), c.get(TaskManagerOptions.MANAGED_MEMORY_SIZE),
                    "hashmap backend; only the batch job's sort of the assembler input needs managed memory");
        }
    }

    @Test
    void bothConfigsReportToPrometheus() {
        for (Path dir : List.of(localDir(), gpuDir())) {
            Configuration c = load(dir);
            assertEquals(PROMETHEUS_FACTORY, c.getString("metrics.reporter.prom.factory.class", ""), dir.toString());
            assertTrue(c.getString("metrics.reporter.prom.port", "").matches("\\d+(-\\d+)?"), dir.toString());
        }
        assertEquals("9249", load(gpuDir()).getString("metrics.reporter.prom.port", ""), "one process per pod");
    }

    @Test
    void bothConfigsGiveFlinkTheJava17FlagsOfBinFlinkJvmOptions() {
        String expected = String.join(" ", RepoFiles.read("bin/flink-jvm.options").trim().split("\\s+"));
        for (Path dir : List.of(localDir(), gpuDir())) {
            assertEquals(expected, load(dir).get(CoreOptions.FLINK_JVM_OPTIONS), dir.toString());
        }
    }

    @Test
    void processSizesParse() {
        Configuration gpu = load(gpuDir());
        assertTrue(gpu.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY).compareTo(
                gpu.get(TaskManagerOptions.TASK_OFF_HEAP_MEMORY).add(MemorySize.parse("1g"))) > 0);
        assertTrue(gpu.get(JobManagerOptions.TOTAL_PROCESS_MEMORY).getMebiBytes() >= 1024);
    }

    /** Every key is an option Flink knows (a misspelt key is silently ignored by Flink). */
    @Test
    void everyKeyIsAFlinkOption() throws Exception {
        Set<String> known = knownKeys();
        for (Path dir : List.of(localDir(), gpuDir())) {
            List<String> unknown = new ArrayList<>();
            for (String key : load(dir).keySet()) {
                String generic = key.replaceFirst("^external-resource\\.gpu\\.", "external-resource.<resource_name>.")
                        .replaceFirst("^metrics\\.reporter\\.prom\\.", "metrics.reporter.<name>.");
                if (!known.contains(key) && !known.contains(generic) && !generic.equals("metrics.reporter.<name>.port")) {
                    unknown.add(key);
                }
            }
            assertEquals(List.of(), unknown, dir + ": keys Flink does not know");
        }
    }

    /** Every key has its comment right above it (a comment line, or the key before it is commented too). */
    @Test
    void everyKeyIsCommentedInPlace() {
        for (String file : List.of("flink-conf/config.yaml", "flink-conf/gpu/config.yaml")) {
            String previous = "";
            for (String line : RepoFiles.read(file).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    assertTrue(previous.startsWith("#"),
                            file + ": no comment above `" + line.split(":")[0] + "`");
                }
                previous = line;
            }
        }
    }

    private static Set<String> knownKeys() throws Exception {
        Set<String> keys = new HashSet<>();
        keys.add("external-resources");
        keys.add("external-resource.<resource_name>.amount");
        keys.add("external-resource.<resource_name>.driver-factory.class");
        keys.add("external-resource.<resource_name>.kubernetes.config-key");
        // MetricOptions declares the reporter options without their metrics.reporter.<name>. prefix.
        keys.add("metrics.reporter.<name>.factory.class");
        for (Class<?> options : List.of(CoreOptions.class, TaskManagerOptions.class, JobManagerOptions.class,
                CheckpointingOptions.class, StateBackendOptions.class, RestartStrategyOptions.class,
                org.apache.flink.configuration.RestOptions.class, org.apache.flink.configuration.HeartbeatManagerOptions.class,
                org.apache.flink.configuration.MetricOptions.class)) {
            for (Field f : options.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    keys.add(o.key());
                    o.fallbackKeys().forEach(k -> keys.add(k.getKey()));
                }
            }
        }
        return keys;
    }
}
