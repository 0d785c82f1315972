package dev.osprey.collector;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Parsing of configuration strings; every failure names the key and the rejected value. */
final class ConfigValues {

    private ConfigValues() {
    }

    /**
     * A duration written {@code 50ms}, {@code 2s}, {@code 1m}, a bare number of milliseconds, or ISO-8601
     * ({@code PT0.05S}).
     */
    static Duration duration(String key, String raw) {
        String value = raw.trim();
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return Duration.parse(value);
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1).trim()));
            }
            if (value.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(value));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw invalid(key, raw, "a duration such as 50ms, 1s or PT0.05S");
        }
    }

    static int integer(String key, String raw) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "an integer");
        }
    }

    static double decimal(String key, String raw) {
        try {
            double value = Double.parseDouble(raw.trim());
            if (!Double.isFinite(value)) {
                throw invalid(key, raw, "a finite number");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "a number");
        }
    }

    static boolean bool(String key, String raw) {
        String value = raw.trim();
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key, raw, "true or false");
    }

    /** A comma-separated list of {@code namespace/name}; blank is the empty set. */
    static Set<String> poolList(String key, String raw) {
        Set<String> pools = new LinkedHashSet<>();
        for (String item : raw.split(",")) {
            String pool = item.trim();
            if (pool.isEmpty()) {
                continue;
            }
            int slash = pool.indexOf('/');
            if (slash <= 0 || slash == pool.length() - 1 || pool.indexOf('/', slash + 1) >= 0
                    || pool.chars().anyMatch(Character::isWhitespace)) {
                throw invalid(key, raw, "comma-separated namespace/name pool references");
            }
            pools.add(pool);
        }
        return pools;
    }

    static IllegalArgumentException invalid(String key, Object value, String expected) {
        return new IllegalArgumentException(key + ": expected " + expected + ", got '" + value + "'");
    }
}
