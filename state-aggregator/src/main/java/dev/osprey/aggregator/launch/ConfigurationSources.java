package dev.osprey.aggregator.launch;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.ConfigKey;
import dev.osprey.schemas.config.ConfigSources;

/**
 * Builds the aggregator's configuration from a properties file and then {@code OSPREY_AGGREGATOR_*} environment
 * variables, which win ({@link ConfigSources}): {@code osprey.aggregator.commit.interval.ms} is
 * {@code OSPREY_AGGREGATOR_COMMIT_INTERVAL_MS}; a variable with the prefix that names no key fails, so a typo never
 * goes unnoticed.
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
        file.ifPresent(path -> values.putAll(ConfigSources.propertiesFile(path)));
        values.putAll(fromEnvironment(environment));
        return AggregatorConfig.fromMap(values);
    }

    /** The keys set by {@code environment}'s {@value #ENVIRONMENT_PREFIX} variables. */
    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        return ConfigSources.environment(ENVIRONMENT_PREFIX,
                AggregatorConfig.definitions().stream().map(ConfigKey::name).toList(), environment);
    }
}
