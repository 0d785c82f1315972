package dev.osprey.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.osprey.bench.live.LiveScale;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8);

    private static Scenario tiny(String strategies, String stages) {
        return ScenarioLoader.parse("""
                seed: 11
                pool: {servers: 4, profile: test, maxNumSeqs: 4}
                workload:
                  stages: %s
                  promptTokens: {dist: lognormal, mean: 200, stddev: 100, max: 1024}
                  outputTokens: {dist: uniform, min: 8, max: 40}
                  criticality: {standard: 0.7, sheddable: 0.3}
                slo: {ttftMs: 50}
                strategies: %s
                """.formatted(stages, strategies), "tiny");
    }

    @Test
    void sameSeedGivesIdenticalResults() {
        Scenario s = tiny("[random, least-request, epp-least-load]", "[{rate: 200, durationS: 2}]");
        List<VariantResult> a = SimulateCommand.simulate(s, Path.of("."), QUIET);
        List<VariantResult> b = SimulateCommand.simulate(s, Path.of("."), QUIET);
        assertThat(a).hasSize(3);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).stages()).isEqualTo(b.get(i).stages());
        }
        assertThat(WorkloadGenerator.generate(s.workload(), 11)).isEqualTo(WorkloadGenerator.generate(
                s.workload(), 11));
        assertThat(WorkloadGenerator.generate(s.workload(), 12)).isNotEqualTo(WorkloadGenerator.generate(
                s.workload(), 11));
    }

    @Test
    void roundRobinSpreadsEvenly() {
        Scenario s = tiny("[round-robin]", "[{rate: 100, durationS: 4}]");
        StageResult r = SimulateCommand.simulate(s, Path.of("."), QUIET).get(0).stages().get(0);
        assertThat(r.completed()).isEqualTo(r.offered());
        // round-robin sends every endpoint offered/4, rounded up
        assertThat(r.maxEndpointShare() * r.offered()).isLessThanOrEqualTo(Math.ceil(r.offered() / 4.0));
    }

    @Test
    void slowedDownPoolAtAProportionallyLowerRateGivesTheSameRunWithLongerLatencies() {
        Scenario base = tiny("[round-robin]", "[{rate: 100, durationS: 3}, {rate: 600, durationS: 3}]");
        Scenario slowed = new LiveScale(List.of(), 1, 1, 3).apply(base, Path.of("."));

        List<StageResult> b = SimulateCommand.simulate(base, Path.of("."), QUIET).get(0).stages();
        List<StageResult> s = SimulateCommand.simulate(slowed, Path.of("."), QUIET).get(0).stages();
        assertThat(b.get(1).ttftP90()).as("the second stage queues").isGreaterThan(3 * b.get(0).ttftP90());
        for (int i = 0; i < b.size(); i++) {
            assertThat(s.get(i).offered()).isEqualTo(b.get(i).offered());
            assertThat(s.get(i).completed()).isEqualTo(b.get(i).completed());
            assertThat(s.get(i).ttftP50()).isCloseTo(3 * b.get(i).ttftP50(), offset(1e-3 * b.get(i).ttftP50()));
            assertThat(s.get(i).ttftP90()).isCloseTo(3 * b.get(i).ttftP90(), offset(1e-3 * b.get(i).ttftP90()));
            assertThat(s.get(i).e2eP90()).isCloseTo(3 * b.get(i).e2eP90(), offset(1e-3 * b.get(i).e2eP90()));
        }
    }

    @Test
    void saturatedPoolTtftGrowsWithRate() {
        Scenario s = tiny("[round-robin, epp-least-load]",
                "[{rate: 100, durationS: 3}, {rate: 600, durationS: 3}, {rate: 1500, durationS: 3}]");
        for (VariantResult v : SimulateCommand.simulate(s, Path.of("."), QUIET)) {
            List<StageResult> st = v.stages();
            assertThat(st.get(1).ttftP90()).as(v.label()).isGreaterThan(st.get(0).ttftP90());
            assertThat(st.get(2).ttftP90()).as(v.label()).isGreaterThan(st.get(1).ttftP90());
        }
    }

    @Test
    void simulateCommandWritesResults(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("tiny.yaml");
        Files.writeString(scenario, ScenarioLoaderTest.TINY.replace("[round-robin]", "[round-robin, random]"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SimulateCommand.run(new String[] {"--scenario", scenario.toString(), "--out",
            dir.resolve("out").toString()}, QUIET, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(dir.resolve("out/results.json")).exists();
        assertThat(Files.readString(dir.resolve("out/report.md"))).contains("| round-robin |", "| random |");
        assertThat(Files.size(dir.resolve("out/ttft-p90.png"))).isPositive();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("100%");
    }

    @Test
    void badScenarioExitsWithTwoNamingTheField(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("bad.yaml");
        Files.writeString(scenario, ScenarioLoaderTest.TINY.replace("servers: 3", "servers: -2"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SimulateCommand.run(new String[] {"--scenario", scenario.toString(), "--out",
            dir.resolve("out").toString()}, QUIET, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("pool.servers: must be positive");
    }

    @Test
    void seedAndStrategiesOverrideTheScenarios(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("tiny.yaml");
        Files.writeString(scenario, ScenarioLoaderTest.TINY.replace("[round-robin]", "[round-robin, random]"));
        int status = SimulateCommand.run(new String[] {"--scenario", scenario.toString(), "--out",
            dir.resolve("out").toString(), "--seed", "12", "--strategies", "random"}, QUIET, QUIET);

        assertThat(status).isZero();
        String results = Files.readString(dir.resolve("out/results.json"));
        assertThat(results).contains("\"seed\" : 12").contains("\"strategy\" : \"random\"")
                .doesNotContain("\"strategy\" : \"round-robin\"");
        Scenario base = ScenarioLoader.load(scenario);
        Scenario reseeded = SimulateCommand.override(base, 12L, List.of());
        assertThat(reseeded.seed()).isEqualTo(12L);
        assertThat(reseeded.strategies()).isEqualTo(base.strategies());
        assertThat(WorkloadGenerator.generate(reseeded.workload(), reseeded.seed()))
                .isNotEqualTo(WorkloadGenerator.generate(base.workload(), base.seed()));
    }

    @Test
    void unknownStrategyOrBadSeedExitsWithTwoNamingTheOption(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("tiny.yaml");
        Files.writeString(scenario, ScenarioLoaderTest.TINY);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(SimulateCommand.run(new String[] {"--scenario", scenario.toString(), "--out",
            dir.resolve("out").toString(), "--strategies", "random"}, QUIET, errStream)).isEqualTo(2);
        assertThat(SimulateCommand.run(new String[] {"--scenario", scenario.toString(), "--out",
            dir.resolve("out").toString(), "--seed", "forty-two"}, QUIET, errStream)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--strategies: the scenario has no strategy 'random' (it has [round-robin])")
                .contains("--seed must be a whole number, got forty-two");
    }

    @Test
    void severalPickerReplicasAreVariantsOfTheirOwn() {
        Scenario s = ScenarioLoader.parse("""
                seed: 5
                pool: {servers: 3, profile: test, maxNumSeqs: 4}
                pipeline: {eppReplicas: [1, 3], sharedStateDelayMs: 20}
                workload:
                  stages: [{rate: 150, durationS: 2}]
                  sharedPrefix: {groups: 6, prefixTokens: 256, usersPerGroup: 2}
                  promptTokens: {dist: constant, mean: 32}
                  outputTokens: {dist: uniform, min: 8, max: 24}
                strategies: [least-request, osprey-default]
                """, "replicas");
        List<VariantResult> results = SimulateCommand.simulate(s, Path.of("."), QUIET);

        assertThat(results).extracting(VariantResult::label).containsExactly("least-request@1x",
                "osprey-default@1x", "least-request@3x", "osprey-default@3x");
        assertThat(results).extracting(VariantResult::eppReplicas).containsExactly(1, 1, 3, 3);
        assertThat(results).allSatisfy(v -> assertThat(v.stages().get(0).completed())
                .isEqualTo(v.stages().get(0).offered()));
        // three replicas of a picker are not one picker: their counters and caches see a third of the traffic each
        assertThat(results.get(3).stages()).isNotEqualTo(results.get(1).stages());
        String report = ResultsWriter.report(s, results.get(0).stages().get(0).offered(), results);
        assertThat(report).contains("picker replicas [1, 3]", "TTFT p90 with N replicas / with 1",
                "| 0 ms, 3 EPP | 0 |");
    }
}
