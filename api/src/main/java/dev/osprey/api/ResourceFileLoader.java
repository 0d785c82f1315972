package dev.osprey.api;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads resources from YAML holding the same documents a user would {@code kubectl apply}: InferencePool
 * ({@code inference.networking.k8s.io/v1} and {@code inference.networking.x-k8s.io/v1alpha2}), InferenceModel
 * ({@code v1alpha2}), InferenceObjective and InferenceModelRewrite ({@code v1alpha2}) and, for file discovery, Pods with {@code status.podIP}. Other kinds are ignored; a document
 * of a known kind with a bad field fails the whole load with a {@link ResourceException} naming the document and
 * the field.
 */
public final class ResourceFileLoader {

    static final String V1 = "inference.networking.k8s.io/v1";
    static final String V1ALPHA2 = "inference.networking.x-k8s.io/v1alpha2";

    private static final YAMLMapper YAML = new YAMLMapper();

    private ResourceFileLoader() {
    }

    /** Loads {@code file}. */
    public static ResourceSet load(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return load(reader, file.toString());
        } catch (IOException e) {
            throw new ResourceException("cannot read resource file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads YAML text; {@code source} names it in error messages. */
    public static ResourceSet parse(String yaml, String source) {
        try {
            return load(new StringReader(yaml), source);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static ResourceSet load(Reader reader, String source) throws IOException {
        List<InferencePool> pools = new ArrayList<>();
        List<InferenceModel> models = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        List<InferenceObjective> objectives = new ArrayList<>();
        List<InferenceModelRewrite> rewrites = new ArrayList<>();
        int index = 0;
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(reader)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                index++;
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                String where = source + " document " + index;
                String kind = doc.path("kind").asText("");
                String apiVersion = doc.path("apiVersion").asText("");
                try {
                    switch (kind) {
                        case "InferencePool" -> pools.add(pool(doc, apiVersion));
                        case "InferenceModel" -> models.add(model(doc, apiVersion));
                        case "Pod" -> pods.add(pod(doc));
                        case "InferenceObjective" -> objectives.add(objective(doc, apiVersion));
                        case "InferenceModelRewrite" -> rewrites.add(rewrite(doc, apiVersion));
                        default -> { } // other kinds (Services, Deployments...) may share the file
                    }
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    throw new ResourceException(where + " (" + kind + "): " + e.getMessage(), e);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ResourceException(source + " is not valid YAML near document " + (index + 1) + ": "
                    + e.getOriginalMessage(), e);
        }
        return new ResourceSet(pools, models, pods, objectives, rewrites);
    }

    private static InferencePool pool(JsonNode doc, String apiVersion) {
        ResourceMeta meta = meta(doc);
        JsonNode spec = required(doc, "spec");
        if (apiVersion.equals(V1)) {
            Map<String, String> selector = strings(spec.path("selector").path("matchLabels"), "spec.selector.matchLabels");
            List<Integer> ports = new ArrayList<>();
            for (JsonNode p : spec.path("targetPorts")) {
                ports.add(integer(p.path("number"), "spec.targetPorts[].number"));
            }
            JsonNode ref = spec.path("endpointPickerRef");
            Optional<EndpointPickerRef> picker = ref.isMissingNode() ? Optional.empty()
                    : Optional.of(new EndpointPickerRef(ref.path("name").asText(),
                            ref.path("port").path("number").asInt(EndpointPickerRef.DEFAULT_PORT),
                            FailureMode.parse(ref.path("failureMode").asText(null))));
            return new InferencePool(meta, apiVersion, selector, ports, spec.path("appProtocol").asText("http"),
                    picker);
        }
        if (apiVersion.equals(V1ALPHA2)) {
            Map<String, String> selector = strings(spec.path("selector"), "spec.selector");
            int port = integer(spec.path("targetPortNumber"), "spec.targetPortNumber");
            JsonNode ref = spec.path("extensionRef");
            Optional<EndpointPickerRef> picker = ref.isMissingNode() ? Optional.empty()
                    : Optional.of(new EndpointPickerRef(ref.path("name").asText(),
                            ref.path("portNumber").asInt(EndpointPickerRef.DEFAULT_PORT),
                            FailureMode.parse(ref.path("failureMode").asText(null))));
            return new InferencePool(meta, apiVersion, selector, List.of(port), "http", picker);
        }
        throw new IllegalArgumentException("unsupported apiVersion " + apiVersion + " (expected " + V1 + " or "
                + V1ALPHA2 + ")");
    }

    private static InferenceModel model(JsonNode doc, String apiVersion) {
        requireAlpha(apiVersion);
        ResourceMeta meta = meta(doc);
        JsonNode spec = required(doc, "spec");
        List<TargetModel> targets = new ArrayList<>();
        for (JsonNode t : spec.path("targetModels")) {
            targets.add(new TargetModel(t.path("name").asText(null), t.path("weight").asInt(1)));
        }
        return new InferenceModel(meta, spec.path("modelName").asText(null),
                Criticality.parse(spec.path("criticality").asText(null)), targets,
                spec.path("poolRef").path("name").asText(""));
    }

    private static InferenceObjective objective(JsonNode doc, String apiVersion) {
        requireAlpha(apiVersion);
        ResourceMeta meta = meta(doc);
        JsonNode spec = required(doc, "spec");
        JsonNode priority = spec.path("priority");
        return new InferenceObjective(meta, priority.isMissingNode() ? 0 : integer(priority, "spec.priority"),
                spec.path("poolRef").path("name").asText(""));
    }

    private static InferenceModelRewrite rewrite(JsonNode doc, String apiVersion) {
        requireAlpha(apiVersion);
        ResourceMeta meta = meta(doc);
        JsonNode spec = required(doc, "spec");
        List<ModelRewriteRule> rules = new ArrayList<>();
        for (JsonNode rule : spec.path("rules")) {
            List<String> matches = new ArrayList<>();
            for (JsonNode match : rule.path("matches")) {
                JsonNode model = match.path("model");
                String type = model.path("type").asText("Exact");
                if (!type.equals("Exact")) {
                    throw new IllegalArgumentException("spec.rules[].matches[].model.type must be Exact, got " + type);
                }
                matches.add(model.path("value").asText(""));
            }
            List<TargetModel> targets = new ArrayList<>();
            for (JsonNode target : rule.path("targets")) {
                targets.add(new TargetModel(target.path("modelRewrite").asText(null), target.path("weight").asInt(1)));
            }
            rules.add(new ModelRewriteRule(matches, targets));
        }
        return new InferenceModelRewrite(meta, spec.path("poolRef").path("name").asText(""), rules);
    }

    private static void requireAlpha(String apiVersion) {
        if (!apiVersion.equals(V1ALPHA2)) {
            throw new IllegalArgumentException("unsupported apiVersion " + apiVersion + " (expected " + V1ALPHA2 + ")");
        }
    }

    private static Pod pod(JsonNode doc) {
        ResourceMeta meta = meta(doc);
        JsonNode status = doc.path("status");
        Optional<String> ip = Optional.ofNullable(status.path("podIP").asText(null)).filter(s -> !s.isBlank());
        boolean ready = true;
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                ready = condition.path("status").asText().equals("True");
            }
        }
        boolean terminating = !doc.path("metadata").path("deletionTimestamp").isMissingNode();
        return new Pod(meta, ip, ready, terminating);
    }

    private static ResourceMeta meta(JsonNode doc) {
        JsonNode metadata = required(doc, "metadata");
        String name = metadata.path("name").asText("");
        if (name.isBlank()) {
            throw new IllegalArgumentException("metadata.name is required");
        }
        String created = metadata.path("creationTimestamp").asText(null);
        return new ResourceMeta(name, metadata.path("namespace").asText("default"),
                created == null ? Instant.EPOCH : Instant.parse(created),
                strings(metadata.path("labels"), "metadata.labels"));
    }

    private static JsonNode required(JsonNode doc, String field) {
        JsonNode node = doc.path(field);
        if (!node.isObject()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return node;
    }

    private static int integer(JsonNode node, String field) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be an integer, got: " + node);
        }
        return node.asInt();
    }

    private static Map<String, String> strings(JsonNode node, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(field + " must be a map of strings");
        }
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
