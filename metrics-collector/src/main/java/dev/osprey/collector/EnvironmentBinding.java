package dev.osprey.collector;

import java.util.Map;

import dev.osprey.schemas.config.ConfigSources;

/**
 * Binds {@code OSPREY_COLLECTOR_*} environment variables to the collector's configuration keys at the process edge
 * ({@link ConfigSources#environment}): key {@code osprey.collector.scrape.interval} is variable
 * {@code OSPREY_COLLECTOR_SCRAPE_INTERVAL}; an {@code OSPREY_COLLECTOR_} variable that names no key fails, so a typo
 * cannot silently fall back to a default.
 */
public final class EnvironmentBinding {

    /** Variables with this prefix are configuration. */
    public static final String ENV_PREFIX = "OSPREY_COLLECTOR_";

    private EnvironmentBinding() {
    }

    /**
     * The configuration entries of {@code environment}, as keys.
     *
     * @throws IllegalArgumentException naming the variable when an {@code OSPREY_COLLECTOR_} variable is unknown
     */
    public static Map<String, String> keysOf(Map<String, String> environment) {
        return ConfigSources.environment(ENV_PREFIX,
                CollectorConfig.definitions().stream().map(ConfigKey::key).toList(), environment);
    }
}
