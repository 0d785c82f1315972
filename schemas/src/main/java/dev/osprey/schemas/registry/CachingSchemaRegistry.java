package dev.osprey.schemas.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

/**
 * Caches registrations and id lookups of a delegate registry; schemas are immutable once registered, so entries
 * never expire. Thread-safe.
 */
public final class CachingSchemaRegistry implements SchemaRegistry {

    private record Registration(String subject, Schema schema) { }

    private final SchemaRegistry delegate;
    private final Map<Registration, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public CachingSchemaRegistry(SchemaRegistry delegate) {
        this.delegate = delegate;
    }

    @Override
    public int register(String subject, Schema schema) {
        return ids.computeIfAbsent(new Registration(subject, schema), r -> {
            int id = delegate.register(r.subject(), r.schema());
            schemas.putIfAbsent(id, r.schema());
            return id;
        });
    }

    @Override
    public Schema schemaById(int id) {
        return schemas.computeIfAbsent(id, delegate::schemaById);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return delegate.isCompatible(subject, schema);
    }
}
