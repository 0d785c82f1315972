package dev.osprey.schemas.registry;

import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry contract Osprey needs.
 *
 * <p>Implementations are thread-safe. Methods throw {@link SchemaRegistryException}; its
 * {@link SchemaRegistryException#retriable()} says whether trying again can help.
 */
public interface SchemaRegistry {

    /**
     * Registers {@code schema} under {@code subject} (idempotent: an identical schema returns its existing id).
     *
     * @return the global schema id
     * @throws SchemaRegistryException if the schema is incompatible with the subject's latest version or the
     *     registry cannot be reached
     */
    int register(String subject, Schema schema);

    /**
     * Returns the schema with the given global id.
     *
     * @throws SchemaRegistryException if no such id exists (not retriable) or the registry cannot be reached
     */
    Schema schemaById(int id);

    /**
     * Whether {@code schema} may be registered under {@code subject} given the subject's compatibility rule
     * (BACKWARD by default). A subject with no versions accepts any schema.
     */
    boolean isCompatible(String subject, Schema schema);
}
