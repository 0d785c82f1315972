package dev.osprey.epp.config;

import java.util.Objects;

/**
 * The documented face of one configuration key: its full name, its default as written in the docs
 * ({@code required} when there is none) and what it means. Used to generate the configuration reference.
 */
public record ConfigDefinition(String key, String defaultValue, String doc) {

    public ConfigDefinition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(doc, "doc");
    }
}
