package dev.osprey.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkStrategyTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8);

    private static final String SHARED = """
            seed: 3
            pool: {servers: 4, profile: test, kvBlocks: 1200}
            workload:
              stages: [{rate: 100, durationS: 3}]
              sharedPrefix: {groups: 12, prefixTokens: 512, usersPerGroup: 4}
              promptTokens: {dist: constant, mean: 64}
              outputTokens: {dist: constant, mean: 8}
            strategies: %s
            """;

    @Test
    void frameworkProfilesAreBuiltIn() {
        assertThat(Strategies.builtInNames()).contains("upstream-default", "osprey-default",
                "sticky-until-saturated", "legacy-decision-tree", "round-robin", "least-request");
    }

    @Test
    void prefixAwareProfileHitsTheCacheMoreThanRoundRobin() {
        Scenario s = ScenarioLoader.parse(SHARED.formatted("[round-robin, upstream-default]"), "shared");
        List<VariantResult> r = SimulateCommand.simulate(s, Path.of("."), QUIET);
        double roundRobin = r.get(0).stages().get(0).prefixCacheHitRate();
        double upstream = r.get(1).stages().get(0).prefixCacheHitRate();
        assertThat(r.get(1).stages().get(0).completed()).isEqualTo(r.get(1).stages().get(0).offered());
        assertThat(upstream).isGreaterThan(roundRobin + 0.1);
    }

    @Test
    void configFileStrategyLoadsThroughTheFactory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("queue-only.yaml"), """
                apiVersion: inference.networking.x-k8s.io/v1alpha1
                kind: EndpointPickerConfig
                plugins:
                - type: queue-scorer
                - type: max-score-picker
                schedulingProfiles:
                - name: default
                  plugins:
                  - pluginRef: queue-scorer
                    weight: 1
                  - pluginRef: max-score-picker
                """);
        Scenario s = ScenarioLoader.parse(SHARED.formatted("[{name: queue-only, config: queue-only.yaml}]"), "f");
        StageResult r = SimulateCommand.simulate(s, dir, QUIET).get(0).stages().get(0);
        assertThat(r.completed()).isEqualTo(r.offered());
    }

    @Test
    void badConfigFileFailsNamingTheStrategy(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "plugins: [{type: no-such-plugin}]\n");
        Scenario s = ScenarioLoader.parse(SHARED.formatted("[{name: mine, config: bad.yaml}]"), "f");
        assertThatThrownBy(() -> SimulateCommand.simulate(s, dir, QUIET)).isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("strategies: 'mine': ");
    }
}
