package org.videoforge.job.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.videoforge.job.segmented.BatchCommand;
import org.videoforge.job.segmented.StreamCommand;
import picocli.CommandLine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoforge.job.VideoForge;

/** The rendered Kustomize overlays (k8s/), checked against the Flink configs, the build and each other. */
class K8sManifestsTest {
    private static final String MAIN_CONTAINER = "flink-main-container";

    static List<ObjectNode> render(String overlay) {
        return Kustomize.render(RepoFiles.root().resolve("k8s/overlays").resolve(overlay));
    }

    static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).collect(Collectors.toList());
    }

    static ObjectNode one(List<ObjectNode> objects, String kind) {
        List<ObjectNode> found = ofKind(objects, kind);
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }

    static Map<String, String> flinkConfiguration(ObjectNode deployment) {
        Map<String, String> m = new TreeMap<>();
        deployment.path("spec").path("flinkConfiguration").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    static JsonNode container(JsonNode podTemplate) {
        for (JsonNode c : podTemplate.path("spec").path("containers")) {
            if (c.path("name").asText().equals(MAIN_CONTAINER)) {
                return c;
            }
        }
        throw new AssertionError("no " + MAIN_CONTAINER + " in " + podTemplate);
    }

    @Test
    void everyManifestAndTheDashboardParse() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(RepoFiles.root().resolve("k8s"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json")).collect(Collectors.toList());
        }
        assertTrue(files.size() >= 12, files.toString());
        for (Path f : files) {
            if (f.toString().endsWith(".json")) {
                assertTrue(GrafanaDashboard.load().json().path("panels").size() > 0);
            } else {
                assertFalse(Kustomize.readDocuments(f).isEmpty(), f + " is empty");
            }
        }
    }

    /** The GPU overlay runs exactly flink-conf/gpu/config.yaml. */
    @Test
    void gpuDeploymentRunsTheGpuConfig() {
        ObjectNode fd = one(render("gpu"), "FlinkDeployment");
        Map<String, String> conf = flinkConfiguration(fd);
        Configuration gpu = FlinkConfigFilesTest.load(FlinkConfigFilesTest.gpuDir());
        Map<String, String> expected = new TreeMap<>(gpu.toMap());
        // The operator sizes the pods from spec.*.resource.memory, the processes from that.
        assertEquals(expected.remove("jobmanager.memory.process.size"), fd.at("/spec/jobManager/resource/memory").asText());
        assertEquals(expected.remove("taskmanager.memory.process.size"), fd.at("/spec/taskManager/resource/memory").asText());
        assertEquals(expected, conf);
    }

    @Test
    void gpuTaskManagersRequestTheirGpuOnGpuNodes() {
        ObjectNode fd = one(render("gpu"), "FlinkDeployment");
        Map<String, String> conf = flinkConfiguration(fd);
        JsonNode tm = fd.at("/spec/taskManager/podTemplate");
        long gpus = Long.parseLong(conf.get("external-resource.gpu.amount"));
        assertEquals(gpus, tm.path("spec").path("containers").size() == 0 ? -1
                : container(tm).at("/resources/limits").path("nvidia.com/gpu").asLong(), "pod asks for its GPUs");
        assertEquals(String.valueOf(gpus), conf.get("taskmanager.numberOfTaskSlots"), "slots = GPUs");
        assertEquals("nvidia.com/gpu", conf.get("external-resource.gpu.kubernetes.config-key"));
        assertFalse(tm.at("/spec/nodeSelector").isEmpty(), "GPU node selector");
        assertTrue(tm.at("/spec/tolerations").findValuesAsText("key").contains("nvidia.com/gpu"), "GPU taint tolerated");
        assertTrue(container(tm).path("env").findValuesAsText("value").stream().anyMatch(v -> v.contains("video")),
                "NVDEC/NVENC driver libraries requested");
        assertTrue(args(fd).containsAll(List.of("--backend", "cuda")), args(fd).toString());
        assertFalse(fd.at("/spec/image").asText().endsWith("-cpu"));
    }

    @Test
    void localDeploymentUsesTheCpuBackendAndNoGpu() {
        List<ObjectNode> objects = render("local");
        ObjectNode fd = one(objects, "FlinkDeployment");
        assertTrue(flinkConfiguration(fd).keySet().stream().noneMatch(k -> k.startsWith("external-resource")));
        assertFalse(objects.toString().contains("nvidia.com/gpu"), "nothing asks for a GPU");
        assertTrue(args(fd).containsAll(List.of("--backend", "cpu")), args(fd).toString());
        assertTrue(fd.at("/spec/image").asText().endsWith("-cpu"), "the Dockerfile's VARIANT=cpu image");
        for (ObjectNode topic : ofKind(objects, "KafkaTopic")) {
            assertEquals(1, topic.at("/spec/replicas").asInt(), "one broker");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "gpu-session"})
    void everyOverlayCheckpointsReportsMetricsAndMountsItsStorage(String overlay) {
        List<ObjectNode> objects = render(overlay);
        ObjectNode fd = one(objects, "FlinkDeployment");
        Map<String, String> conf = flinkConfiguration(fd);
        assertEquals("EXACTLY_ONCE", conf.get("execution.checkpointing.mode"));
        assertFalse(conf.getOrDefault("execution.checkpointing.interval", "").isBlank(), "checkpointing on");
        assertEquals("RETAIN_ON_CANCELLATION", conf.get("execution.checkpointing.externalized-checkpoint-retention"));
        assertEquals(FlinkConfigFilesTest.PROMETHEUS_FACTORY, conf.get("metrics.reporter.prom.factory.class"));

        // Checkpoints and savepoints are on a mounted PVC of this overlay.
        JsonNode pod = fd.at("/spec/podTemplate");
        Set<String> claims = ofKind(objects, "PersistentVolumeClaim").stream()
                .map(c -> c.at("/metadata/name").asText()).collect(Collectors.toSet());
        for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir")) {
            String path = conf.get(key).replaceFirst("^file://", "");
            String volume = null;
            for (JsonNode m : container(pod).path("volumeMounts")) {
                if (path.startsWith(m.path("mountPath").asText() + "/")) {
                    volume = m.path("name").asText();
                }
            }
            assertTrue(volume != null, key + " " + path + " is not on a mounted volume");
            String v = volume;
            JsonNode decl = findByName(pod.at("/spec/volumes"), v);
            assertTrue(claims.contains(decl.at("/persistentVolumeClaim/claimName").asText()), key + " on a PVC of the overlay");
        }

        // Prometheus scrapes the port the reporter listens on, on the pods of this deployment.
        ObjectNode monitor = one(objects, "PodMonitor");
        String portName = monitor.at("/spec/podMetricsEndpoints/0/port").asText();
        JsonNode port = findByName(container(pod).path("ports"), portName);
        assertEquals(conf.get("metrics.reporter.prom.port"), port.path("containerPort").asText());
        monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(e ->
                assertEquals(e.getValue().asText(), pod.at("/metadata/labels").path(e.getKey()).asText(), "selector " + e));

        // Non-root, as the image.
        assertTrue(pod.at("/spec/securityContext/runAsNonRoot").asBoolean());
        assertEquals(9999, pod.at("/spec/securityContext/runAsUser").asInt(), "the flink user of Flink's image");

        // The image is the Dockerfile's, tagged with the project version.
        assertTrue(fd.at("/spec/image").asText().startsWith(DockerfileTest.IMAGE + ":" + RepoFiles.projectVersion()),
                fd.at("/spec/image").asText());
        assertTrue(ofKind(objects, "ConfigMap").stream().anyMatch(c -> c.at("/metadata/labels/grafana_dashboard").asText()
                .equals("1")), "dashboard ConfigMap");
        assertTrue(fd.at("/spec/serviceAccount").asText().equals(one(objects, "ServiceAccount").at("/metadata/name").asText()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu"})
    void applicationModeRunsTheImagesJobJar(String overlay) {
        ObjectNode fd = one(render(overlay), "FlinkDeployment");
        assertEquals("local://" + DockerfileTest.jobJarInImage(), fd.at("/spec/job/jarURI").asText());
        assertEquals(VideoForge.class.getName(), fd.at("/spec/job/entryClass").asText());
        assertEquals("last-state", fd.at("/spec/job/upgradeMode").asText(), "resume from checkpoints");
    }

    @Test
    void sessionVariantSubmitsTheBuildsJarToTheSessionCluster() {
        List<ObjectNode> objects = render("gpu-session");
        ObjectNode fd = one(objects, "FlinkDeployment");
        assertTrue(fd.at("/spec/job").isMissingNode(), "a session cluster has no job");
        ObjectNode job = one(objects, "FlinkSessionJob");
        assertEquals(fd.at("/metadata/name").asText(), job.at("/spec/deploymentName").asText());
        assertEquals(fd.at("/metadata/namespace").asText(), job.at("/metadata/namespace").asText());
        assertTrue(job.at("/spec/job/jarURI").asText().endsWith("/" + RepoFiles.jobJarName()), job.toString());
        assertEquals(VideoForge.class.getName(), job.at("/spec/job/entryClass").asText());
        assertEquals("1", flinkConfiguration(fd).get("external-resource.gpu.amount"), "on the GPU cluster");
    }

    @Test
    void kafkaTopicsForRequestsResultsAndDeadLetters() {
        for (String overlay : List.of("local", "gpu")) {
            List<ObjectNode> topics = ofKind(render(overlay), "KafkaTopic");
            Set<String> names = new TreeSet<>();
            Set<String> clusters = new TreeSet<>();
            for (ObjectNode t : topics) {
                names.add(t.at("/spec/topicName").asText());
                clusters.add(t.at("/metadata/labels/strimzi.io~1cluster").asText());
                int replicas = t.at("/spec/replicas").asInt();
                int minIsr = Integer.parseInt(t.at("/spec/config/min.insync.replicas").asText());
                assertTrue(minIsr <= replicas && minIsr >= 1, overlay + " " + t.at("/metadata/name") + ": min ISR " + minIsr
                        + " of " + replicas + " replicas");
                assertTrue(t.at("/spec/partitions").asInt() >= 1);
            }
            assertEquals(Set.of("videoforge.upscale.requests", "videoforge.upscale.results",
                    "videoforge.upscale.dead-letter"), names);
            assertEquals(1, clusters.size(), "one Strimzi cluster: " + clusters);
            assertFalse(clusters.contains(""), "strimzi.io/cluster label on every topic");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu"})
    void theStreamingJobReadsTheTopicsOfItsKafkaCluster(String overlay) {
        List<ObjectNode> objects = render(overlay);
        List<String> args = args(one(objects, "FlinkDeployment"));
        assertEquals("stream", args.get(0), args.toString());
        StreamCommand stream = new StreamCommand();
        new CommandLine(stream).parseArgs(args.subList(1, args.size()).toArray(String[]::new)); // real flags only
        Map<String, String> topics = new java.util.HashMap<>();
        for (ObjectNode t : ofKind(objects, "KafkaTopic")) {
            topics.put(t.at("/metadata/name").asText(), t.at("/spec/topicName").asText());
            assertEquals(t.at("/metadata/labels/strimzi.io~1cluster").asText() + "-kafka-bootstrap:9092",
                    valueAfter(args, "--bootstrap-servers"), "Strimzi's bootstrap service of the topics' cluster");
        }
        assertEquals(topics.get("videoforge-requests"), valueAfter(args, "--requests-topic"));
        assertEquals(topics.get("videoforge-results"), valueAfter(args, "--results-topic"));
        assertEquals(topics.get("videoforge-dead-letter"), valueAfter(args, "--dead-letter-topic"));
        assertTrue(valueAfter(args, "--staging").startsWith("/media/"), "staging on the shared media volume");
    }

    @Test
    void theSessionJobIsABoundedBacklogWithRealFlags() {
        ObjectNode job = one(render("gpu-session"), "FlinkSessionJob");
        List<String> args = new ArrayList<>();
        job.at("/spec/job/args").forEach(a -> args.add(a.asText()));
        assertEquals("batch", args.get(0), args.toString());
        new CommandLine(new BatchCommand()).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        assertTrue(args.containsAll(List.of("--backend", "cuda")));
    }

    private static String valueAfter(List<String> args, String flag) {
        int i = args.indexOf(flag);
        assertTrue(i >= 0 && i + 1 < args.size(), flag + " in " + args);
        return args.get(i + 1);
    }

    private static List<String> args(ObjectNode fd) {
        List<String> out = new ArrayList<>();
        fd.at("/spec/job/args").forEach(a -> out.add(a.asText()));
        return out;
    }

    private static JsonNode findByName(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no entry named " + name + " in " + list);
    }
}
