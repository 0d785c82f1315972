package dev.osprey.api;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads resources from YAML holding the same documents a user would {@code kubectl apply}: InferencePool
 * ({@code inference.networking.k8s.io/v1} and {@code inference.networking.x-k8s.io/v1alpha2}), InferenceModel
 * ({@code v1alpha2}), InferenceObjective and InferenceModelRewrite ({@code v1alpha2}) and, for file discovery, Pods with {@code status.podIP}. Other kinds are ignored; a document
 * of a known kind with a bad field fails the whole load with a {@link ResourceException} naming the document and
 * the field. The field mapping itself is {@link ResourceMapping}'s.
 */
public final class ResourceFileLoader {

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
                        case "InferencePool" -> pools.add(ResourceMapping.pool(doc, apiVersion));
                        case "InferenceModel" -> models.add(ResourceMapping.model(doc, apiVersion));
                        case "Pod" -> pods.add(ResourceMapping.pod(doc));
                        case "InferenceObjective" -> objectives.add(ResourceMapping.objective(doc, apiVersion));
                        case "InferenceModelRewrite" -> rewrites.add(ResourceMapping.rewrite(doc, apiVersion));
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
}
