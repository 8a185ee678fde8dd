package org.videoforge.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Enough of {@code kubectl kustomize} to render this repository's overlays without kubectl (CI has
 * none): resources (files and kustomization directories), namespace, patches (a whole-object merge
 * patch matched by kind and name, or an RFC 6902 list with a target) and configMapGenerator files
 * without a name suffix. Every object in k8s/ is a custom resource or takes only map merges and list
 * replacements, so a JSON merge patch (RFC 7386) is what kustomize does to them too. The namespace
 * also goes to a RoleBinding's service account subjects, as kustomize puts it there.
 * {@link KustomizeCrossCheckTest} compares the result with kubectl where it is installed.
 */
final class Kustomize {
    static final ObjectMapper YAML = new YAMLMapper();

    private Kustomize() {
    }

    /** All YAML documents of a file. */
    static List<ObjectNode> readAll(Path file) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode doc : readDocuments(file)) {
            if (!doc.isObject()) {
                throw new IllegalStateException(file + ": a document is not an object");
            }
            out.add((ObjectNode) doc);
        }
        return out;
    }

    /** All YAML documents of a file, whatever their shape (RFC 6902 patches are lists). */
    static List<JsonNode> readDocuments(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            var parser = new YAMLFactory().createParser(file.toFile());
            Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                out.add(docs.next());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    static JsonNode readOne(Path file) {
        List<JsonNode> docs = readDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " has " + docs.size() + " documents");
        }
        return docs.get(0);
    }

    static List<ObjectNode> render(Path dir) {
        ObjectNode k = (ObjectNode) readOne(dir.resolve("kustomization.yaml"));
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            objects.addAll(Files.isDirectory(p) ? render(p) : readAll(p));
        }
        for (JsonNode gen : k.path("configMapGenerator")) {
            objects.add(configMap(dir, k.path("generatorOptions"), gen));
        }
        for (JsonNode patch : k.path("patches")) {
            Path p = dir.resolve(patch.path("path").asText());
            if (patch.has("target")) {
                JsonNode target = patch.path("target");
                ArrayNode ops = (ArrayNode) readOne(p);
                objects.stream().filter(o -> matches(o, target.path("kind").asText(), target.path("name").asText()))
                        .forEach(o -> JsonPatch.apply(o, ops));
            } else {
                for (ObjectNode piece : readAll(p)) {
                    String kind = piece.path("kind").asText();
                    String name = piece.path("metadata").path("name").asText();
                    ObjectNode base = objects.stream().filter(o -> matches(o, kind, name)).findFirst()
                            .orElseThrow(() -> new IllegalStateException(p + ": no " + kind + " " + name + " to patch"));
                    mergePatch(base, piece);
                }
            }
        }
        if (k.has("namespace")) {
            String ns = k.path("namespace").asText();
            for (ObjectNode o : objects) {
                ((ObjectNode) o.path("metadata")).put("namespace", ns);
                // As kustomize does: a RoleBinding's service accounts move with it.
                if (o.path("kind").asText().equals("RoleBinding")) {
                    o.path("subjects").forEach(sub -> {
                        if (sub.path("kind").asText().equals("ServiceAccount")) {
                            ((ObjectNode) sub).put("namespace", ns);
                        }
                    });
                }
            }
        }
        return objects;
    }

    private static boolean matches(JsonNode o, String kind, String name) {
        return o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name);
    }

    private static ObjectNode configMap(Path dir, JsonNode options, JsonNode gen) {
        if (!options.path("disableNameSuffixHash").asBoolean()) {
            throw new IllegalStateException("name suffix hashes are not rendered here; disable them");
        }
        ObjectNode cm = YAML.createObjectNode();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata");
        meta.put("name", gen.path("name").asText());
        if (options.has("labels")) {
            meta.set("labels", options.path("labels").deepCopy());
        }
        ObjectNode data = cm.putObject("data");
        for (JsonNode f : gen.path("files")) {
            try {
                data.put(Path.of(f.asText()).getFileName().toString(), Files.readString(dir.resolve(f.asText())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cm;
    }

    /** RFC 7386: objects merge key by key, null removes, anything else replaces. */
    static void mergePatch(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                target.remove(e.getKey());
            } else if (v.isObject() && target.path(e.getKey()).isObject()) {
                mergePatch((ObjectNode) target.get(e.getKey()), v);
            } else {
                target.set(e.getKey(), v.deepCopy());
            }
        }
    }

    /** The RFC 6902 operations the overlays use: remove, add and replace on object members. */
    static final class JsonPatch {
        private JsonPatch() {
        }

        static void apply(ObjectNode target, ArrayNode ops) {
            for (JsonNode op : ops) {
                String path = op.path("path").asText();
                int cut = path.lastIndexOf('/');
                JsonNode parent = target.at(path.substring(0, cut));
                String member = path.substring(cut + 1).replace("~1", "/").replace("~0", "~");
                if (!parent.isObject()) {
                    throw new IllegalStateException("patch path " + path + " does not name an object member");
                }
                switch (op.path("op").asText()) {
                    case "remove" -> {
                        if (((ObjectNode) parent).remove(member) == null) {
                            throw new IllegalStateException("nothing to remove at " + path);
                        }
                    }
                    case "add", "replace" -> ((ObjectNode) parent).set(member, op.path("value").deepCopy());
                    default -> throw new IllegalStateException("unsupported op " + op);
                }
            }
        }
    }
}
