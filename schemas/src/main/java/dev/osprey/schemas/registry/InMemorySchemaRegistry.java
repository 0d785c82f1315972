package dev.osprey.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A registry held in memory, enforcing BACKWARD compatibility per subject like the Confluent default.
 *
 * <p>Used by tests and the all-in-one mode (the {@code mock://} convention). Thread-safe: every method
 * synchronizes on the instance; calls are rare (serdes cache their answers).
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<Schema, Integer> idBySchema = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer existing = idBySchema.get(schema);
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        if (!isCompatible(subject, schema)) {
            throw new SchemaRegistryException(
                    "schema for subject " + subject + " is not BACKWARD compatible with its latest version", false);
        }
        int id = existing != null ? existing : byId.size() + 1;
        byId.put(id, schema);
        idBySchema.put(schema, id);
        versions.add(id);
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("no schema with id " + id, false);
        }
        return schema;
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return latest(subject)
                .map(previous -> SchemaCompatibility.checkReaderWriterCompatibility(schema, previous).getType()
                        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE)
                .orElse(true);
    }

    /** The ids registered under {@code subject}, oldest first; empty for an unknown subject. */
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }

    /** Every subject that has at least one version. */
    public synchronized List<String> subjects() {
        return versionsBySubject.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** The newest schema registered under {@code subject}. */
    public synchronized Optional<Schema> latest(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(byId.get(versions.get(versions.size() - 1)));
    }
}
