package dev.osprey.aggregator;

import java.util.Objects;
import java.util.Optional;

/**
 * The definition of one configuration setting: its full key, its default as text (empty when the setting is
 * required) and a one-sentence description. The configuration reference in {@code docs/} is generated from these.
 */
public record ConfigKey(String name, Optional<String> defaultValue, String doc) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(doc, "doc");
    }

    static ConfigKey optional(String name, String defaultValue, String doc) {
        return new ConfigKey(name, Optional.of(defaultValue), doc);
    }

    static ConfigKey required(String name, String doc) {
        return new ConfigKey(name, Optional.empty(), doc);
    }

    /** Whether the setting has no default and must be given. */
    public boolean isRequired() {
        return defaultValue.isEmpty();
    }

    /** The default as documentation shows it: the value, or {@code (required)}. */
    public String defaultText() {
        return defaultValue.orElse("(required)");
    }
}
