package dev.osprey.aggregator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads typed values from a flat string map against a list of {@link ConfigKey definitions}. Every failure is an
 * {@link IllegalArgumentException} whose message starts with the offending key. Not thread-safe; use once.
 */
final class ConfigReader {

    private final Map<String, String> values;
    private final Map<String, ConfigKey> definitions;

    /** @throws IllegalArgumentException naming the first key of {@code values} that has no definition */
    ConfigReader(Map<String, String> values, List<ConfigKey> definitions) {
        this.values = Map.copyOf(values);
        this.definitions = definitions.stream().collect(Collectors.toMap(ConfigKey::name, Function.identity()));
        Set<String> unknown = new java.util.TreeSet<>(values.keySet());
        unknown.removeAll(this.definitions.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(unknown.iterator().next() + ": unknown configuration key (known: "
                    + new java.util.TreeSet<>(this.definitions.keySet()) + ")");
        }
    }

    String string(String key) {
        ConfigKey definition = definition(key);
        String value = values.get(key);
        if (value == null) {
            return definition.defaultValue()
                    .orElseThrow(() -> new IllegalArgumentException(key + ": required setting is missing"));
        }
        return value.trim();
    }

    String nonBlank(String key) {
        String value = string(key);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(key + ": must not be blank");
        }
        return value;
    }

    int integer(String key) {
        String value = string(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected an integer, got '" + value + "'", e);
        }
    }

    Duration millis(String key) {
        String value = string(key);
        try {
            return Duration.ofMillis(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a number of milliseconds, got '" + value + "'", e);
        }
    }

    <T> T parsed(String key, Function<String, T> parser) {
        String value = string(key);
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private ConfigKey definition(String key) {
        ConfigKey definition = definitions.get(key);
        if (definition == null) {
            throw new IllegalStateException("no definition for " + key);
        }
        return definition;
    }
}
