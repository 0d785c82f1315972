package dev.osprey.epp.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One typed configuration key: name, default (empty = required), doc string and a parser that throws
 * {@link IllegalArgumentException} for a bad value. Immutable and thread-safe.
 *
 * @param <T> the parsed type
 */
public final class ConfigKey<T> {

    /** The text shown as the default of a key that has none. */
    public static final String REQUIRED = "required";

    private final String name;
    private final Optional<String> defaultValue;
    private final String doc;
    private final Function<String, T> parser;

    private ConfigKey(String name, Optional<String> defaultValue, String doc, Function<String, T> parser) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /** A key with a default value. */
    public static <T> ConfigKey<T> optional(String name, String defaultValue, String doc, Function<String, T> parser) {
        return new ConfigKey<>(name, Optional.of(defaultValue), doc, parser);
    }

    /** A key that must be given. */
    public static <T> ConfigKey<T> required(String name, String doc, Function<String, T> parser) {
        return new ConfigKey<>(name, Optional.empty(), doc, parser);
    }

    public String name() {
        return name;
    }

    /** The definition for documentation. */
    public ConfigDefinition definition() {
        return new ConfigDefinition(name, defaultValue.orElse(REQUIRED), doc);
    }

    /**
     * Reads this key from {@code values}, falling back to the default.
     *
     * @throws IllegalArgumentException naming the key when it is missing and required, or its value is bad
     */
    public T read(Map<String, String> values) {
        String raw = values.get(name);
        if (raw == null) {
            raw = defaultValue.orElseThrow(() -> new IllegalArgumentException("missing required key " + name));
        }
        try {
            return parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad value for " + name + ": '" + raw + "': " + e.getMessage(), e);
        }
    }
}
