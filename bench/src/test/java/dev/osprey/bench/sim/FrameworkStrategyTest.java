package dev.osprey.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osprey.api.Criticality;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    @Test
    void finishedRequestsAreReportedAtTheVirtualTimeTheyFinished() {
        MutableClock clock = new MutableClock(1_000);
        RoutingStrategy osprey = FrameworkStrategy.builtIn("osprey-default",
                new RunContext(1, 3, clock, List.of("a", "b"), new LocalInflight()));
        PoolSnapshot busyB = view(1_000, 0, 0, 50, 4);
        for (int i = 0; i < 7; i++) {
            assertThat(routedTo(osprey.pick(request(i), busyB, 1_000))).isEqualTo("a");
        }
        // scraped at 1 100: a holds those 7 (3 waiting, 4 running), b 1 waiting; 3 of a's finish at 1 150
        clock.now = 1_150;
        for (int i = 0; i < 3; i++) {
            osprey.onFinished(request(i), "a");
        }
        assertThat(routedTo(osprey.pick(request(7), view(1_100, 3, 4, 1, 4), 1_200))).isEqualTo("a");
    }

    private static String routedTo(RoutingStrategy.Decision d) {
        assertThat(d).isInstanceOf(RoutingStrategy.Decision.Route.class);
        return ((RoutingStrategy.Decision.Route) d).endpointId();
    }

    private static SimRequest request(int i) {
        return new SimRequest(i, 0, 0, -1, -1, 0, 100, 10, null, Criticality.STANDARD, 1_000 + i);
    }

    private static PoolSnapshot view(long scrapeMs, int waitingA, int runningA, int waitingB, int runningB) {
        return new PoolSnapshot("p", scrapeMs, scrapeMs, List.of(
                EndpointSnapshot.of("a", "10.0.0.1", 8000, waitingA, runningA, 0, scrapeMs),
                EndpointSnapshot.of("b", "10.0.0.2", 8000, waitingB, runningB, 0, scrapeMs)));
    }

    private static final class MutableClock extends Clock {
        long now;

        MutableClock(long now) {
            this.now = now;
        }

        @Override
        public long millis() {
            return now;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
