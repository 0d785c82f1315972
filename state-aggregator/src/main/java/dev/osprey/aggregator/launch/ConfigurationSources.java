package dev.osprey.aggregator.launch;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.ConfigKey;

/**
 * Builds the aggregator's configuration from a properties file and then {@code OSPREY_AGGREGATOR_*} environment
 * variables, which win. A variable names a key with the key's letters upper-cased and every {@code .} or {@code -}
 * as {@code _} ({@code osprey.aggregator.commit.interval.ms} is {@code OSPREY_AGGREGATOR_COMMIT_INTERVAL_MS}); a
 * variable with the prefix that names no key fails, so a typo never goes unnoticed.
 */
public final class ConfigurationSources {

    /** The prefix of the variables read. */
    public static final String ENVIRONMENT_PREFIX = "OSPREY_AGGREGATOR_";

    private ConfigurationSources() {
    }

    /**
     * The configuration of {@code file} (if any) overlaid with {@code environment}.
     *
     * @throws IllegalArgumentException naming the file, variable or key at fault
     */
    public static AggregatorConfig load(Optional<Path> file, Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        file.ifPresent(path -> values.putAll(properties(path)));
        values.putAll(fromEnvironment(environment));
        return AggregatorConfig.fromMap(values);
    }

    /** The keys set by {@code environment}'s {@value #ENVIRONMENT_PREFIX} variables. */
    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> keyByVariable = new HashMap<>();
        for (ConfigKey key : AggregatorConfig.definitions()) {
            keyByVariable.put(variableOf(key.name()), key.name());
        }
        Map<String, String> values = new LinkedHashMap<>();
        environment.forEach((variable, value) -> {
            if (!variable.startsWith(ENVIRONMENT_PREFIX)) {
                return;
            }
            String key = keyByVariable.get(variable);
            if (key == null) {
                throw new IllegalArgumentException(variable + ": names no osprey.aggregator key (see"
                        + " docs/configuration.md)");
            }
            values.put(key, value);
        });
        return values;
    }

    /** The environment variable that sets {@code key}. */
    public static String variableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, String> properties(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + path + ": cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }
}
