package dev.osprey.epp.scheduling.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict reader of one plugin's {@code parameters}: each accessor names a parameter it understands and gives its
 * default; {@link #checkAllRead()} then fails on any parameter nobody asked for. Not thread-safe (start-up only).
 */
public final class Parameters {

    private final String plugin;
    private final JsonNode node;
    private final Set<String> read = new HashSet<>();

    Parameters(String plugin, JsonNode node) {
        this.plugin = plugin;
        this.node = node;
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new SchedulerConfigException("plugin " + plugin + ": parameters must be a mapping");
        }
    }

    private JsonNode get(String key) {
        read.add(key);
        JsonNode v = node == null ? null : node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    public double number(String key, double def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        try {
            return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw new SchedulerConfigException("plugin " + plugin + ": parameter " + key + " must be a number, got "
                    + v, e);
        }
    }

    public long integer(String key, long def) {
        double d = number(key, def);
        if (d != Math.rint(d)) {
            throw new SchedulerConfigException("plugin " + plugin + ": parameter " + key
                    + " must be an integer, got " + d);
        }
        return (long) d;
    }

    public boolean bool(String key, boolean def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (v.isBoolean() || "true".equals(v.asText()) || "false".equals(v.asText())) {
            return v.asBoolean() || "true".equals(v.asText());
        }
        throw new SchedulerConfigException("plugin " + plugin + ": parameter " + key + " must be true or false");
    }

    public String text(String key, String def) {
        JsonNode v = get(key);
        return v == null ? def : v.asText();
    }

    /** A duration in milliseconds: a number (ms) or a Go-style string such as {@code 200ms}, {@code 1s}, {@code 1m}. */
    public long millis(String key, long def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (v.isNumber()) {
            return v.asLong();
        }
        String s = v.asText().trim();
        try {
            if (s.endsWith("ms")) {
                return Math.round(Double.parseDouble(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000);
            }
            if (s.endsWith("m")) {
                return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new SchedulerConfigException("plugin " + plugin + ": parameter " + key
                    + " must be a duration such as 200ms, got " + s, e);
        }
    }

    /** Marks a parameter as known but ignored. */
    public void ignore(String key) {
        read.add(key);
    }

    /** Fails naming the first parameter that no accessor read. */
    public void checkAllRead() {
        if (node == null || node.isNull()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!read.contains(k)) {
                throw new SchedulerConfigException("plugin " + plugin + ": unknown parameter " + k);
            }
        }
    }
}
