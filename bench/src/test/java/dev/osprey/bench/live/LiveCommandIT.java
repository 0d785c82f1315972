package dev.osprey.bench.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code live} end to end on real parts: for each of two strategies a fresh embedded broker, two simulators over
 * HTTP, collector, aggregator, EPP over ext-proc and the local gateway, with streamed requests from the client.
 */
class LiveCommandIT {

    @TempDir
    Path dir;

    @Test
    void runsEachStrategyPerSeedOnAFreshPipelineAndComparesTheRankingWithTheSimulation() throws Exception {
        Path scenario = dir.resolve("tiny.yaml");
        Files.writeString(scenario, """
                name: tiny
                seed: 7
                pool: {servers: 2, profile: test}
                workload:
                  stages: [{rate: 5, durationS: 3}]
                  sharedPrefix: {groups: 3, prefixTokens: 128, usersPerGroup: 2}
                  promptTokens: {dist: constant, mean: 32}
                  outputTokens: {dist: constant, mean: 8}
                strategies: [round-robin, osprey-default]
                """);
        Path out = dir.resolve("out");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        int status = LiveCommand.run(new String[] {"--scenario", scenario.toString(), "--out", out.toString(),
                "--time-scale", "1", "--warmup-s", "0", "--drain-timeout-s", "30",
                "--strategies", "osprey-default,round-robin", "--seeds", "7,8"},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));

        assertThat(status).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode seeds = results.path("seeds");
        assertThat(seeds).hasSize(2);
        assertThat(seeds.get(0).path("seed").asLong()).isEqualTo(7);
        assertThat(seeds.get(1).path("seed").asLong()).isEqualTo(8);
        for (JsonNode seed : seeds) {
            JsonNode live = seed.path("live");
            assertThat(live).hasSize(2);
            int offered = seed.path("requestsPerStrategy").asInt();
            assertThat(offered).isPositive();
            for (JsonNode variant : live) {
                JsonNode stage = variant.path("stages").get(0);
                assertThat(stage.path("completed").asInt()).as(variant.path("strategy").asText() + " " + variant)
                        .isEqualTo(offered);
                assertThat(stage.path("ttftP90").asDouble()).isPositive();
                assertThat(stage.path("prefixCacheHitRate").asDouble()).as("shared prefixes hit the cache")
                        .isPositive();
                assertThat(variant.path("errorsByReason").size()).isZero();
            }
            assertThat(seed.path("comparison").path("live").size()).isEqualTo(2);
            assertThat(seed.path("simulation").has("round-robin")).isTrue();
        }
        assertThat(seeds.get(0).path("simulation")).as("each seed is its own traffic")
                .isNotEqualTo(seeds.get(1).path("simulation"));
        assertThat(results.path("comparison").path("live").size()).isEqualTo(2);
        assertThat(Files.readString(out.resolve("report.md"))).contains("The live ranking **");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).containsAnyOf("MATCHES", "DOES NOT MATCH")
                .contains("ranked over 2 seeds together");
        assertThat(out.resolve("scenario-scaled.yaml")).exists();
    }
}
