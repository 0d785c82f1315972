package dev.osprey.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScenarioLoaderTest {

    static final String TINY = """
            seed: 7
            pool: {servers: 3, profile: test}
            workload:
              stages: [{rate: 50, durationS: 2}]
              promptTokens: {dist: constant, mean: 64}
              outputTokens: {dist: constant, mean: 16}
            strategies: [round-robin]
            """;

    @Test
    void fillsDefaults() {
        Scenario s = ScenarioLoader.parse(TINY, "tiny");
        assertThat(s.name()).isEqualTo("tiny");
        assertThat(s.seed()).isEqualTo(7L);
        assertThat(s.pool().maxLoras()).isEqualTo(4);
        assertThat(s.pool().kvBlocks()).isEqualTo(4096);
        assertThat(s.pool().slowdown()).isEqualTo(1.0);
        assertThat(s.pipeline().scrapeIntervalMs()).isEqualTo(50);
        assertThat(s.pipeline().delaysMs()).containsExactly(0);
        assertThat(s.workload().arrivals()).isEqualTo("poisson");
        assertThat(s.workload().criticality().standard()).isEqualTo(1.0);
        assertThat(s.strategies()).extracting(Scenario.StrategySpec::name).containsExactly("round-robin");
    }

    @Test
    void unknownFieldIsNamedWithItsPath() {
        String yaml = TINY.replace("profile: test", "profile: test, maxLora: 3");
        assertThatThrownBy(() -> ScenarioLoader.parse(yaml, "x")).isInstanceOf(ScenarioException.class)
                .hasMessage("pool.maxLora: unknown field");
    }

    @Test
    void badValuesAreNamed() {
        assertBad(TINY.replace("servers: 3", "servers: 0"), "pool.servers: must be positive, got 0");
        assertBad(TINY.replace("profile: test", "profile: test, slowdown: 0"), "pool.slowdown: must be positive");
        assertBad(TINY.replace("profile: test", "profile: a100"), "pool.profile: unknown profile 'a100'");
        assertBad(TINY.replace("rate: 50", "rate: -1"), "workload.stages[0].rate: must be positive");
        assertBad(TINY.replace("dist: constant, mean: 64", "dist: zipf, mean: 64"),
                "workload.promptTokens.dist: must be constant, uniform, normal or lognormal");
        assertBad(TINY.replace("[round-robin]", "[round-robin, best-ever]"),
                "strategies[1].name: unknown strategy 'best-ever'");
        assertBad(TINY.replace("[round-robin]", "[random, random]"), "strategies[1].name: duplicate strategy");
        assertBad(TINY.replace("seed: 7\n", "seed: 7\npipeline: {delaysMs: [0, -5]}\n"),
                "pipeline.delaysMs[1]: must be at least 0");
        assertBad(TINY.replace("servers: 3", "servers: three"), "pool.servers: ");
        assertBad(TINY.replace("  outputTokens: {dist: constant, mean: 16}\n", ""),
                "workload.outputTokens: required");
    }

    @Test
    void shippedScenariosAreValid() throws IOException {
        Path dir = Path.of("scenarios");
        int count = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.yaml")) {
            for (Path f : files) {
                Scenario s = ScenarioLoader.load(f);
                assertThat(s.strategies()).isNotEmpty();
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(5);
    }

    private static void assertBad(String yaml, String messageStart) {
        assertThatThrownBy(() -> ScenarioLoader.parse(yaml, "x")).isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(messageStart);
    }
}
