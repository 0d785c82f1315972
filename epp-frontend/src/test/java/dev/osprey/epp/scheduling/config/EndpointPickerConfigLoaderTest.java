package dev.osprey.epp.scheduling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osprey.epp.scheduling.EndpointPicker;
import dev.osprey.epp.scheduling.PickResult;
import dev.osprey.epp.scheduling.SchedulerFactory;
import dev.osprey.epp.scheduling.SchedulingRequest;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointPickerConfigLoaderTest {

    private static final String HEAD = "apiVersion: inference.networking.x-k8s.io/v1alpha1\n"
            + "kind: EndpointPickerConfig\n";

    /** Shaped like upstream's helm chart / docs config, including layers Osprey does not schedule with. */
    private static final String UPSTREAM_STYLE = HEAD + """
            featureGates:
            - dataLayer
            plugins:
            - type: queue-scorer
            - type: kv-cache-utilization-scorer
            - type: prefix-cache-scorer
              parameters:
                autoTune: false
                blockSizeTokens: 16
                maxPrefixBlocksToMatch: 256
                lruCapacityPerServer: 31250
            - type: metrics-data-source
              parameters:
                scheme: http
                path: /metrics
            - type: core-metrics-extractor
            - name: sd
              type: utilization-detector
              parameters:
                queueDepthThreshold: 5
                kvCacheUtilThreshold: 0.8
                metricsStalenessThreshold: 200ms
            - type: max-score-picker
            - type: single-profile-handler
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
            saturationDetector:
              pluginRef: sd
            dataLayer:
              sources:
              - pluginRef: metrics-data-source
                extractors:
                - pluginRef: core-metrics-extractor
            """;

    private static PoolSnapshot pool() {
        return new PoolSnapshot("p", 1, 0, List.of(EndpointSnapshot.of("a", "10.0.0.1", 8000, 4, 0, 0.5, 1000),
                EndpointSnapshot.of("b", "10.0.0.2", 8000, 0, 0, 0.1, 1000)));
    }

    @Test
    void loadsAnUpstreamStyleConfigFileAndSchedulesWithIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("epp-config.yaml");
        Files.writeString(file, UPSTREAM_STYLE);
        EndpointPicker p = SchedulerFactory.fromConfig(file);
        PickResult.Picked r = (PickResult.Picked) p.pick(pool(), SchedulingRequest.builder("r", "m")
                .headers(java.util.Map.of(SchedulingRequest.EXPLAIN_HEADER, "true")).build(), 1000);
        assertThat(r.primary().endpointId()).isEqualTo("b");
        assertThat(r.loads().get("b")).isEqualTo(2 * 1.0 + 2 * 0.9 + 3 * 0.0, org.assertj.core.api.Assertions
                .within(1e-9));
        assertThat(r.explanation().endpoints().get(0).byPlugin()).containsOnlyKeys("queue-scorer",
                "kv-cache-utilization-scorer", "prefix-cache-scorer");
    }

    @Test
    void unknownPluginTypeFailsNamingIt() {
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + "plugins:\n- type: magic-scorer\n"))
                .isInstanceOf(SchedulerConfigException.class).hasMessageContaining("unknown plugin type magic-scorer");
    }

    @Test
    void unknownFieldsFailNamingThem() {
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + "plugin: []\n"))
                .hasMessageContaining("unknown field plugin");
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + "plugins:\n- type: queue-scorer\n  weight: 2\n"))
                .hasMessageContaining("plugins[]: unknown field weight");
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + """
                plugins:
                - type: queue-scorer
                schedulingProfiles:
                - name: p
                  plugins:
                  - pluginRef: queue-scorer
                    wieght: 2
                """)).hasMessageContaining("unknown field wieght");
    }

    @Test
    void unknownParameterFailsNamingPluginAndParameter() {
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + """
                plugins:
                - name: prefix
                  type: prefix-cache-scorer
                  parameters:
                    blockSizeTokenz: 16
                """)).hasMessageContaining("plugin prefix: unknown parameter blockSizeTokenz");
    }

    @Test
    void characterBlockSizeIsRejectedAsUpstream() {
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + """
                plugins:
                - type: prefix-cache-scorer
                  parameters:
                    blockSize: 64
                """)).hasMessageContaining("blockSize");
    }

    @Test
    void wrongApiVersionKindOrDanglingReferenceFail() {
        assertThatThrownBy(() -> SchedulerFactory.fromConfig("apiVersion: v1\nkind: EndpointPickerConfig\n"))
                .hasMessageContaining("apiVersion");
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(
                "apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: Other\n")).hasMessageContaining("kind");
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + """
                plugins:
                - type: queue-scorer
                schedulingProfiles:
                - name: p
                  plugins:
                  - pluginRef: missing
                """)).hasMessageContaining("pluginRef missing");
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + "plugins:\n- type: queue-scorer\n"
                + "saturationDetector:\n  pluginRef: queue-scorer\n")).hasMessageContaining("saturationDetector");
    }

    @Test
    void structuralRulesAreEnforced() {
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + """
                plugins:
                - type: random-picker
                - type: max-score-picker
                """)).hasMessageContaining("exactly one is allowed");
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + """
                plugins:
                - type: queue-scorer
                schedulingProfiles:
                - name: a
                  plugins:
                  - pluginRef: queue-scorer
                - name: b
                  plugins:
                  - pluginRef: queue-scorer
                """)).hasMessageContaining("profile handler");
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + """
                plugins:
                - type: metrics-data-source
                schedulingProfiles:
                - name: a
                  plugins:
                  - pluginRef: metrics-data-source
                """)).hasMessageContaining("not a filter, scorer or picker");
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + "plugins:\n- type: queue-scorer\n- type: queue-scorer\n"))
                .hasMessageContaining("duplicate plugin name queue-scorer");
        assertThatThrownBy(() -> SchedulerFactory.fromConfig("plugins: [\n")).hasMessageContaining("YAML");
    }

    @Test
    void badParameterValuesFailNamingThem() {
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + """
                plugins:
                - type: utilization-detector
                  parameters:
                    queueDepthThreshold: lots
                """)).hasMessageContaining("queueDepthThreshold");
        assertThatThrownBy(() -> SchedulerFactory.fromConfig(HEAD + """
                plugins:
                - type: concurrency-detector
                  parameters:
                    concurrencyMode: bytes
                """)).hasMessageContaining("concurrencyMode");
    }

    @Test
    void emptyConfigGetsDefaultProfileWithMaxScorePicker() {
        EndpointPicker p = SchedulerFactory.fromConfig(HEAD);
        assertThat(p.pick(pool(), SchedulingRequest.builder("r", "m").build(), 1000))
                .isInstanceOf(PickResult.Picked.class);
    }
}
