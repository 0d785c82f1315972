package dev.osprey.epp.scheduling.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The built-in scheduler configurations, as {@code EndpointPickerConfig} YAML text (loaded like a user file). */
public final class BuiltInProfiles {

    private static final String HEAD = "apiVersion: " + EndpointPickerConfigLoader.API_VERSION + "\n"
            + "kind: " + EndpointPickerConfigLoader.KIND + "\n";

    private static final Map<String, String> YAML = new LinkedHashMap<>();

    static {
        YAML.put("osprey-default", HEAD + """
                plugins:
                - type: osprey-ttft-scorer
                - type: max-score-picker
                schedulingProfiles:
                - name: default
                  plugins:
                  - pluginRef: osprey-ttft-scorer
                    weight: 1
                  - pluginRef: max-score-picker
                """);
        YAML.put("upstream-default", HEAD + """
                plugins:
                - type: queue-scorer
                - type: kv-cache-utilization-scorer
                - type: prefix-cache-scorer
                - type: max-score-picker
                schedulingProfiles:
                - name: default
                  plugins:
                  - pluginRef: queue-scorer
                    weight: 2
                  - pluginRef: kv-cache-utilization-scorer
                    weight: 2
                  - pluginRef: prefix-cache-scorer
                    weight: 3
                  - pluginRef: max-score-picker
                """);
        YAML.put("sticky-until-saturated", HEAD + """
                plugins:
                - type: prefix-cache-affinity-filter
                  parameters:
                    affinityThreshold: 0.8
                    explorationProbability: 0.01
                    maxTTFTPenaltyMs: 5000
                - type: prefix-cache-scorer
                - type: uncached-inflight-tokens-scorer
                - type: max-score-picker
                schedulingProfiles:
                - name: default
                  plugins:
                  - pluginRef: prefix-cache-affinity-filter
                  - pluginRef: uncached-inflight-tokens-scorer
                    weight: 1
                  - pluginRef: max-score-picker
                """);
        YAML.put("legacy-decision-tree", HEAD + """
                plugins:
                - type: decision-tree-filter
                - type: random-picker
                schedulingProfiles:
                - name: default
                  plugins:
                  - pluginRef: decision-tree-filter
                  - pluginRef: random-picker
                """);
        YAML.put("random", HEAD + """
                plugins:
                - type: random-picker
                """);
        YAML.put("round-robin", HEAD + """
                plugins:
                - type: round-robin-picker
                """);
        YAML.put("least-request-p2c", HEAD + """
                plugins:
                - type: least-request-p2c-picker
                """);
    }

    private BuiltInProfiles() {
    }

    /** The YAML of built-in {@code name}, or empty. */
    public static Optional<String> yaml(String name) {
        return Optional.ofNullable(YAML.get(name));
    }

    /** Built-in names in a stable order. */
    public static java.util.List<String> names() {
        return java.util.List.copyOf(YAML.keySet());
    }
}
