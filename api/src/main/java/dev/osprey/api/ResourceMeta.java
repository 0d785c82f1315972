package dev.osprey.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** The metadata Osprey reads from any resource. {@code creationTimestamp} orders duplicates (oldest wins). */
public record ResourceMeta(String name, String namespace, Instant creationTimestamp, Map<String, String> labels) {

    public ResourceMeta {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(creationTimestamp, "creationTimestamp");
        labels = Map.copyOf(labels);
    }
}
