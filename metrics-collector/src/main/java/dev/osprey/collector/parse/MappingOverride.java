package dev.osprey.collector.parse;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Overrides some signals of an engine mapping from one configuration string, for model servers whose metric names
 * differ from the built-in ones (a renamed metric, a fork). Syntax: {@code signal=selector|selector;signal=...} where
 * signal is a {@link Signal} name in lower case with {@code -} ({@code waiting}, {@code running},
 * {@code kv-utilization}, {@code block-size}, {@code num-gpu-blocks}, {@code prefix-cache-queries},
 * {@code prefix-cache-hits}, {@code lora-info}) and a selector is {@code metric}, {@code metric{label="value"}}
 * (that series only) or {@code metric#label} (the number in that label). Alternatives are tried in order, as in the
 * built-in mappings. A listed signal's built-in selectors are replaced; other signals keep theirs.
 */
public final class MappingOverride {

    private static final Pattern SELECTOR = Pattern.compile(
            "([^{}#\\s]+)(?:\\{([A-Za-z_][A-Za-z0-9_]*)=\"([^\"]*)\"\\})?(?:#([A-Za-z_][A-Za-z0-9_]*))?");

    private MappingOverride() {
    }

    /**
     * {@code base} with the signals of {@code spec} replaced; {@code base} itself when {@code spec} is blank.
     *
     * @param key names the configuration key in error messages
     * @throws IllegalArgumentException naming {@code key} and the bad part
     */
    public static EngineMapping apply(EngineMapping base, String key, String spec) {
        if (spec == null || spec.isBlank()) {
            return base;
        }
        List<SeriesSelector> overrides = new ArrayList<>();
        Set<Signal> replaced = EnumSet.noneOf(Signal.class);
        for (String entry : spec.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw invalid(key, entry, "signal=selector");
            }
            Signal signal = signal(key, entry.substring(0, eq).trim());
            if (!replaced.add(signal)) {
                throw invalid(key, entry, "each signal once");
            }
            for (String alternative : entry.substring(eq + 1).split("\\|")) {
                overrides.add(selector(key, signal, alternative.trim()));
            }
        }
        List<SeriesSelector> selectors = new ArrayList<>(overrides);
        base.selectors().stream().filter(s -> !replaced.contains(s.signal())).forEach(selectors::add);
        try {
            return new EngineMapping(base.engine(), selectors);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static Signal signal(String key, String name) {
        try {
            return Signal.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw invalid(key, name, "one of waiting, running, kv-utilization, block-size, num-gpu-blocks,"
                    + " prefix-cache-queries, prefix-cache-hits, lora-info");
        }
    }

    private static SeriesSelector selector(String key, Signal signal, String text) {
        Matcher m = SELECTOR.matcher(text);
        if (!m.matches()) {
            throw invalid(key, text, "metric, metric{label=\"value\"} or metric#label");
        }
        Map<String, String> labels = m.group(2) == null ? Map.of() : Map.of(m.group(2), m.group(3));
        try {
            return new SeriesSelector(signal, m.group(1), labels, Optional.ofNullable(m.group(4)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException(key + ": expected " + expected + ", got '" + value + "'");
    }
}
