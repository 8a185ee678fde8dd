package org.videoforge.job.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The test renderer ({@link Kustomize}) against the real one, {@code kubectl kustomize}, where kubectl
 * is installed (the development machines; CI has none and relies on the renderer this checks).
 */
class KustomizeCrossCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "gpu-session"})
    void rendersLikeKubectl(String overlay) throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl not installed");
        Path dir = RepoFiles.root().resolve("k8s/overlays").resolve(overlay);
        Path out = Files.createTempFile("kustomize-" + overlay, ".yaml");
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            Map<String, ObjectNode> kubectl = byKindAndName(Kustomize.readAll(out));
            Map<String, ObjectNode> ours = byKindAndName(Kustomize.render(dir));
            assertEquals(kubectl.keySet(), ours.keySet());
            for (String key : kubectl.keySet()) {
                assertEquals(kubectl.get(key), ours.get(key), key);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Map<String, ObjectNode> byKindAndName(List<ObjectNode> objects) {
        Map<String, ObjectNode> m = new TreeMap<>();
        objects.forEach(o -> m.put(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText(), o));
        return m;
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
