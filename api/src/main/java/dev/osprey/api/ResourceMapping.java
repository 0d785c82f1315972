package dev.osprey.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one mapping from a resource's JSON tree (a YAML document, or a cluster object serialised by the Kubernetes
 * client) to the records of this package. Used by {@link ResourceFileLoader} and by cluster discovery, so a field
 * means the same wherever it is read.
 *
 * <p>Every method throws {@link IllegalArgumentException} (or {@link java.time.format.DateTimeParseException} for a
 * bad timestamp) naming the offending field; callers add which document or object it was.
 */
public final class ResourceMapping {

    /** The GA InferencePool API version. */
    public static final String V1 = "inference.networking.k8s.io/v1";
    /** The older alpha API version of InferencePool, InferenceModel, InferenceObjective, InferenceModelRewrite. */
    public static final String V1ALPHA2 = "inference.networking.x-k8s.io/v1alpha2";

    private ResourceMapping() {
    }

    /** An InferencePool of {@code apiVersion} ({@link #V1} or {@link #V1ALPHA2}). */
    public static InferencePool pool(JsonNode doc, String apiVersion) {
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

    /** An InferenceModel ({@link #V1ALPHA2} only). */
    public static InferenceModel model(JsonNode doc, String apiVersion) {
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

    /** An InferenceObjective ({@link #V1ALPHA2} only). */
    public static InferenceObjective objective(JsonNode doc, String apiVersion) {
        requireAlpha(apiVersion);
        ResourceMeta meta = meta(doc);
        JsonNode spec = required(doc, "spec");
        JsonNode priority = spec.path("priority");
        return new InferenceObjective(meta, priority.isMissingNode() ? 0 : integer(priority, "spec.priority"),
                spec.path("poolRef").path("name").asText(""));
    }

    /** An InferenceModelRewrite ({@link #V1ALPHA2} only). */
    public static InferenceModelRewrite rewrite(JsonNode doc, String apiVersion) {
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

    /**
     * A Pod: {@code status.podIP}, the {@code Ready} condition (ready when absent), terminating when
     * {@code metadata.deletionTimestamp} is set, labels from {@code metadata.labels}.
     */
    public static Pod pod(JsonNode doc) {
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
