package dev.osprey.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Where every Osprey process takes configuration from at its edge, before its own config record validates the
 * values: a properties file ({@code --config}) and environment variables with the process's prefix. Key
 * {@code osprey.collector.scrape.interval} is variable {@code OSPREY_COLLECTOR_SCRAPE_INTERVAL} (upper case,
 * {@code .} and {@code -} become {@code _}); a variable with the prefix that names no key fails, naming it, so a
 * typo cannot silently fall back to a default.
 */
public final class ConfigSources {

    private ConfigSources() {
    }

    /** The environment variable that sets {@code key}. */
    public static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The keys set by the {@code prefix} variables of {@code environment}, in variable-name order.
     *
     * @param keys every key the process knows
     * @throws IllegalArgumentException starting with the variable's name when a {@code prefix} variable names no key
     */
    public static Map<String, String> environment(String prefix, Collection<String> keys,
            Map<String, String> environment) {
        Map<String, String> keyByVariable = new LinkedHashMap<>();
        keys.forEach(key -> keyByVariable.put(variable(key), key));
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : new TreeSet<>(environment.keySet())) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            String key = keyByVariable.get(name);
            if (key == null) {
                throw new IllegalArgumentException(name + ": unknown environment variable, names no configuration key;"
                        + " known: " + keyByVariable.keySet());
            }
            out.put(key, environment.get(name));
        }
        return out;
    }

    /**
     * The entries of the properties file {@code path} (UTF-8).
     *
     * @throws IllegalArgumentException naming the file when it cannot be read
     */
    public static Map<String, String> propertiesFile(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --config " + path + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }
}
