package org.videoforge.job.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile (no image can be built in CI): its build arguments agree with the poms, what it copies
 * is what the build produces, and it ends as a non-root user.
 */
class DockerfileTest {
    /** The repository the k8s manifests pull (README: docker build -t ...). */
    static final String IMAGE = "videoforge/videoforge-flink";

    private static final Pattern ARG = Pattern.compile("^ARG\\s+([A-Z_]+)(?:=(\\S+))?\\s*$");

    static List<String> instructions() {
        // Joins continuation lines; drops comments.
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : RepoFiles.read("Dockerfile").split("\n")) {
            if (line.startsWith("#") || (line.isBlank() && current.length() == 0)) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            out.add(current.toString().trim());
            current.setLength(0);
        }
        return out;
    }

    static Map<String, String> argDefaults() {
        Map<String, String> args = new LinkedHashMap<>();
        for (String i : instructions()) {
            Matcher m = ARG.matcher(i);
            if (m.matches() && m.group(2) != null) {
                args.put(m.group(1), m.group(2));
            }
        }
        return args;
    }

    /** COPY instructions as [source..., destination], flags dropped. */
    static List<List<String>> copies() {
        List<List<String>> out = new ArrayList<>();
        for (String i : instructions()) {
            if (i.startsWith("COPY ") && !i.contains("--from=")) {
                List<String> words = new ArrayList<>();
                for (String w : i.substring(5).trim().split("\\s+")) {
                    if (!w.startsWith("--")) {
                        words.add(w);
                    }
                }
                out.add(words);
            }
        }
        return out;
    }

    /**
     * Where the image holds the job jar: the destination of the COPY of job/target's jar (in a build
     * stage), followed through the COPY --from that carries that directory into the image.
     */
    static String jobJarInImage() {
        String staged = null;
        for (List<String> c : copies()) {
            if (c.get(0).startsWith("job/target/")) {
                staged = c.get(c.size() - 1);
            }
        }
        assertTrue(staged != null, "the Dockerfile copies no job jar");
        for (String i : instructions()) {
            if (i.startsWith("COPY --from=job ")) {
                String[] w = i.split("\\s+");
                String src = w[w.length - 2];
                if (staged.startsWith(src)) {
                    return w[w.length - 1] + staged.substring(src.length());
                }
            }
        }
        throw new AssertionError(staged + " never reaches the image");
    }

    private static boolean globMatches(String glob, String path) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(path));
    }

    @Test
    void versionsAreTheBuilds() {
        Map<String, String> args = argDefaults();
        String flink = RepoFiles.pomProperty("pom.xml", "flink.version");
        assertEquals(flink, args.get("FLINK_VERSION"));
        assertEquals("flink:" + flink + "-java17", args.get("FLINK_IMAGE"), "Flink's official image of our Flink");
        assertEquals(RepoFiles.pomProperty("pom.xml", "flink-connector-kafka.version"), args.get("KAFKA_CONNECTOR_VERSION"));
        assertEquals(RepoFiles.pomProperty("pom.xml", "onnxruntime.version"), args.get("ORT_VERSION"));
        assertEquals("gpu", args.get("VARIANT"));
        assertEquals("false", args.get("WITH_TENSORRT"), "TensorRT optional, off by default");
        assertEquals(RepoFiles.pomProperty("pom.xml", "tensorrt.version"), args.get("TENSORRT_VERSION"));
        assertTrue(args.get("CUDA_IMAGE").startsWith("nvidia/cuda:13."), "CUDA 13, as the cuda presets "
                + RepoFiles.pomProperty("pom.xml", "cuda.version"));
    }

    @Test
    void copiesWhatTheBuildProduces() {
        String jobJar = "job/target/" + RepoFiles.jobJarName();
        String plugin = "operators/target/videoforge-operators-" + RepoFiles.projectVersion() + "-gpu-plugin.jar";
        boolean job = false;
        boolean gpuPlugin = false;
        boolean config = false;
        for (List<String> c : copies()) {
            String src = c.get(0);
            String dst = c.get(c.size() - 1);
            if (globMatches(src, jobJar)) {
                job = true;
                assertTrue(jobJarInImage().startsWith("/opt/flink/usrlib/") && dst.endsWith(".jar"),
                        "application mode: usrlib/");
            } else if (globMatches(src, plugin)) {
                gpuPlugin = true;
                assertEquals("/opt/flink/plugins/videoforge-gpu/", dst, "Flink loads resource drivers from plugins/<dir>/");
            } else if (src.equals("flink-conf/gpu/config.yaml")) {
                config = true;
                assertEquals("/opt/flink/conf/config.yaml", dst);
            } else if (src.startsWith("job/src/test/flink-lib/")) {
                assertTrue(RepoFiles.root().resolve(src).toFile().isFile(), src);
            } else {
                throw new AssertionError("unexpected COPY " + c);
            }
        }
        assertTrue(job, "job jar " + jobJar);
        assertTrue(gpuPlugin, "GPU driver plugin " + plugin);
        assertTrue(config, "GPU config");
    }

    /** The connector jars are the README's selection for $FLINK_HOME/lib. */
    @Test
    void kafkaConnectorSelectionIsTheReadmes() {
        Pattern ids = Pattern.compile("-DincludeArtifactIds=(\\S+)");
        Matcher docker = ids.matcher(String.join("\n", instructions()));
        Matcher readme = ids.matcher(RepoFiles.read("README.md"));
        assertTrue(docker.find() && readme.find());
        assertEquals(readme.group(1), docker.group(1));
        assertTrue(docker.group(1).contains("flink-connector-kafka"));
    }

    @Test
    void metricsReporterPluginAndNonRootUser() {
        String all = String.join("\n", instructions());
        assertTrue(all.contains("flink-metrics-prometheus:${FLINK_VERSION}"), "reporter of our Flink release");
        assertTrue(all.contains("/opt/flink/plugins/metrics-prometheus/"));
        List<String> users = instructions().stream().filter(i -> i.startsWith("USER ")).toList();
        assertEquals("USER flink", users.get(users.size() - 1), "runs as Flink's non-root user");
        String last = instructions().get(instructions().size() - 1);
        assertEquals("USER flink", last);
        assertTrue(all.contains("LD_LIBRARY_PATH=/opt/videoforge/cuda/lib"), "CUDA libraries on the loader path");
    }
}
