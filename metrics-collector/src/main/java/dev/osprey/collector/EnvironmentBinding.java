package dev.osprey.collector;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds environment variables to configuration keys at the process edge: key {@code osprey.collector.scrape.interval}
 * is variable {@code OSPREY_COLLECTOR_SCRAPE_INTERVAL} (upper case, {@code .} and {@code -} become {@code _}). An
 * {@code OSPREY_COLLECTOR_} variable that names no key fails, so a typo cannot silently fall back to a default.
 */
public final class EnvironmentBinding {

    /** Variables with this prefix are configuration. */
    public static final String ENV_PREFIX = "OSPREY_COLLECTOR_";

    private EnvironmentBinding() {
    }

    /** The variable bound to {@code key}. */
    public static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The configuration entries of {@code environment}, as keys.
     *
     * @throws IllegalArgumentException naming the variable when an {@code OSPREY_COLLECTOR_} variable is unknown
     */
    public static Map<String, String> keysOf(Map<String, String> environment) {
        Map<String, String> keyByVariable = new LinkedHashMap<>();
        CollectorConfig.definitions().forEach(d -> keyByVariable.put(variable(d.key()), d.key()));
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> names = new TreeSet<>(environment.keySet());
        for (String name : names) {
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            String key = keyByVariable.get(name);
            if (key == null) {
                throw new IllegalArgumentException("unknown environment variable " + name + "; known: "
                        + keyByVariable.keySet());
            }
            out.put(key, environment.get(name));
        }
        return out;
    }
}
