package dev.osprey.schemas.kafka;

import java.util.Objects;

import org.apache.kafka.common.serialization.Serde;

/**
 * An immutable descriptor of one topic: its name and the serdes of its keys and values. Built once from
 * configuration and passed to the components that read or write it.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
    }
}
