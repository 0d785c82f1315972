package dev.osprey.collector;

import java.util.Objects;

/**
 * The documentation of one configuration key: its full name, its default as written in the docs ({@code required}
 * when there is none) and what it means. {@link CollectorConfig#definitions()} lists them all, so the configuration
 * reference can be generated and cannot drift.
 */
public record ConfigKey(String key, String defaultValue, String doc) {

    public ConfigKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(doc, "doc");
    }
}
