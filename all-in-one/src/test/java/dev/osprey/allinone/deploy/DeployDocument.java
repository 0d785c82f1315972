package dev.osprey.allinone.deploy;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * One YAML document of a file under {@code deploy/}: the text as written ({@code raw}) and as fabric8 reads it
 * ({@code resource}: a typed model object when fabric8 knows the kind, else a {@link GenericKubernetesResource}).
 *
 * @param file     the file, relative to the repository root
 * @param index    1-based position of the document in the file
 * @param raw      the document as a JSON tree
 * @param resource the document as fabric8 loads it
 */
record DeployDocument(Path file, int index, JsonNode raw, HasMetadata resource) {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every document of every {@code .yaml} file under {@code dirs} (relative to {@code root}), in file order. */
    static List<DeployDocument> loadAll(Path root, String... dirs) throws IOException {
        List<DeployDocument> out = new ArrayList<>();
        for (String dir : dirs) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
                files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            }
            for (Path file : files) {
                out.addAll(load(root, file));
            }
        }
        return out;
    }

    private static List<DeployDocument> load(Path root, Path file) throws IOException {
        List<DeployDocument> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file);
                MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(reader)) {
            int index = 0;
            while (docs.hasNextValue()) {
                JsonNode raw = docs.nextValue();
                if (raw == null || raw.isNull() || raw.isEmpty()) {
                    continue;
                }
                index++;
                KubernetesResource loaded = SERIALIZATION.unmarshal(JSON.writeValueAsString(raw),
                        KubernetesResource.class);
                if (!(loaded instanceof HasMetadata resource)) {
                    throw new AssertionError(root.relativize(file) + " document " + index + " is not a Kubernetes"
                            + " object: " + loaded);
                }
                out.add(new DeployDocument(root.relativize(file), index, raw, resource));
            }
        }
        return out;
    }

    String kind() {
        return raw.path("kind").asText();
    }

    String apiVersion() {
        return raw.path("apiVersion").asText();
    }

    String name() {
        return raw.path("metadata").path("name").asText();
    }

    /** {@code file#index Kind/name}, for messages. */
    String describe() {
        return file + "#" + index + " " + kind() + "/" + name();
    }

    /** The document without {@code metadata} and {@code status}: what a server must hand back unchanged. */
    static JsonNode content(JsonNode tree) {
        ObjectNode copy = tree.deepCopy();
        copy.remove("metadata");
        copy.remove("status");
        return copy;
    }

    /** {@code resource} as a JSON tree, the way fabric8 serializes it. */
    static JsonNode tree(Object resource) {
        try {
            return JSON.readTree(SERIALIZATION.asJson(resource));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fields fabric8 did not recognise anywhere in a typed model object (they land in {@code additionalProperties}:
     * a misspelt field name would be silently ignored by a real API server's pruning, or rejected).
     */
    static List<String> unknownFields(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, "", found, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(getter + ": " + e, e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> found.add(path + "." + k));
                }
                continue;
            }
            String field = getter.getName().substring(3);
            walk(child, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), found, seen);
        }
    }
}
