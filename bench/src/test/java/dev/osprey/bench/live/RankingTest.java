package dev.osprey.bench.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.osprey.bench.sim.Scenario;
import dev.osprey.bench.sim.ScenarioLoader;
import dev.osprey.bench.sim.StageResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RankingTest {

    static StageResult stage(double ttftP90, int shedStandard) {
        return new StageResult(0, 1, 10, 10, 10 - shedStandard, Map.of("critical", 0, "standard", shedStandard,
                "sheddable", 0), 0, ttftP90 / 2, ttftP90, ttftP90 * 2, 10, 20, 1000, 2000, 3000, 100, 0.5, 1,
                Map.of(), 0.5);
    }

    static List<StageResult> stages(double... p90) {
        return java.util.Arrays.stream(p90).mapToObj(v -> stage(v, 0)).toList();
    }

    @Test
    void scoreIsTheGeometricMeanOverStages() {
        assertThat(Ranking.score(stages(100, 400), Ranking.Metric.TTFT_P90)).isCloseTo(200, within(1e-9));
        assertThat(Ranking.score(stages(100, 400), Ranking.Metric.TTFT_P99)).isCloseTo(400, within(1e-9));
        assertThat(Ranking.score(stages(100, Double.NaN), Ranking.Metric.TTFT_P90)).isInfinite();
    }

    @Test
    void ordersBestFirst() {
        Map<String, List<StageResult>> m = new LinkedHashMap<>();
        m.put("slow", stages(900, 900));
        m.put("fast", stages(100, 100));
        m.put("mid", stages(100, 900));

        assertThat(Ranking.order(m, Ranking.Metric.TTFT_P90).keySet()).containsExactly("fast", "mid", "slow");
    }

    @Test
    void picksOspreyUpstreamAndTheBestOtherThatCanRunLiveAndKeepsAllStandardWork() {
        Map<String, List<StageResult>> sim = new LinkedHashMap<>();
        sim.put("round-robin", stages(900));
        sim.put("epp-least-load", stages(50));          // best, but cannot run live
        sim.put("legacy-decision-tree", List.of(stage(60, 3))); // sheds Standard requests
        sim.put("sticky-until-saturated", stages(300));
        sim.put("upstream-default", stages(200));
        sim.put("osprey-default", stages(250));
        Set<String> live = Set.of("round-robin", "legacy-decision-tree", "sticky-until-saturated",
                "upstream-default", "osprey-default");

        assertThat(Ranking.pick(sim, Ranking.Metric.TTFT_P90, 3, live::contains))
                .containsExactly("osprey-default", "upstream-default", "sticky-until-saturated");
        assertThat(Ranking.pick(sim, Ranking.Metric.TTFT_P90, 2, live::contains))
                .containsExactly("osprey-default", "upstream-default");
    }

    @Test
    void picksTheBestStrategiesWhenTheScenarioHasNeitherDefault() {
        Map<String, List<StageResult>> sim = new LinkedHashMap<>();
        sim.put("round-robin", stages(900));
        sim.put("random", stages(950));
        sim.put("least-request", stages(400));

        assertThat(Ranking.pick(sim, Ranking.Metric.TTFT_P90, 2, n -> true))
                .containsExactly("least-request", "round-robin");
    }

    @Test
    void comparesTheOrderOfTheLiveStrategiesOnly() {
        Map<String, List<StageResult>> sim = new LinkedHashMap<>();
        sim.put("a", stages(100));
        sim.put("b", stages(200));
        sim.put("c", stages(300));
        sim.put("not-live", stages(1));
        Map<String, List<StageResult>> live = new LinkedHashMap<>();
        live.put("c", stages(3000));
        live.put("a", stages(1000));
        live.put("b", stages(2000));

        Ranking.Comparison same = Ranking.compare(sim, live, Ranking.Metric.TTFT_P90, 0.1);
        assertThat(same.matches()).isTrue();
        assertThat(same.simulatedOrder()).containsExactly("a", "b", "c");
        assertThat(same.liveOrder()).containsExactly("a", "b", "c");

        live.put("b", stages(500));
        Ranking.Comparison swapped = Ranking.compare(sim, live, Ranking.Metric.TTFT_P90, 0.1);
        assertThat(swapped.matches()).isFalse();
        assertThat(swapped.liveOrder()).containsExactly("b", "a", "c");
        assertThat(Ranking.describe(swapped.live())).isEqualTo("b (500 ms) < a (1000 ms) < c (3000 ms)");
        assertThat(swapped.separatedPairs()).isEqualTo(3);
        assertThat(swapped.separatedPairsKept()).isEqualTo(2);
        assertThat(swapped.matchesBeyondTies()).isFalse();
    }

    @Test
    void pairsTheSimulationCannotSeparateAreNotJudged() {
        Map<String, List<StageResult>> sim = new LinkedHashMap<>();
        sim.put("a", stages(100));
        sim.put("b", stages(105));
        sim.put("c", stages(300));
        Map<String, List<StageResult>> live = new LinkedHashMap<>();
        live.put("a", stages(220));
        live.put("b", stages(200));
        live.put("c", stages(900));

        Ranking.Comparison c = Ranking.compare(sim, live, Ranking.Metric.TTFT_P90, 0.1);

        assertThat(c.matches()).isFalse();
        assertThat(c.separatedPairs()).isEqualTo(2);
        assertThat(c.separatedPairsKept()).isEqualTo(2);
        assertThat(c.matchesBeyondTies()).isTrue();
        assertThat(Ranking.compare(sim, live, Ranking.Metric.TTFT_P90, 0.0).matchesBeyondTies()).isFalse();
    }

    @Test
    void reportStatesWhetherTheRankingMatches() {
        Map<String, List<StageResult>> sim = ospreyAndUpstream(100, 200);
        Map<String, List<StageResult>> live = ospreyAndUpstream(300, 250);
        Ranking.Comparison c = Ranking.compare(sim, live, Ranking.Metric.TTFT_P90, 0.1);
        List<LiveVariant> variants = List.of(
                new LiveVariant("osprey-default", "osprey-default", live.get("osprey-default"), Map.of(), 5000, 3,
                        20_000),
                new LiveVariant("upstream-default", "upstream-default", live.get("upstream-default"),
                        Map.of("http 503", 2), 5000, 3, 20_000));
        LiveReport.Run run = new LiveReport.Run("java -jar osprey-bench.jar live ...", LiveScale.defaults(),
                tinyScenario(), "simulated", List.of(new LiveReport.SeedRun(42, 10, sim, variants, c)), c,
                "1.00 2.00 3.00", "1.50 2.00 3.00");

        String md = LiveReport.markdown(run);

        assertThat(md).contains("does not match").contains("more than 10 %").contains("1, of which 0 keep")
                .contains("| 1 | osprey-default (100) | upstream-default (250) |")
                .contains("| osprey-default | live | 150 | 300 | 600 |").contains("| osprey-default | sim | 50.0 | 100 |")
                .contains("{http 503=2}").contains("Load average before: 1.00 2.00 3.00");
    }

    /** osprey-default then upstream-default, one stage each with these TTFT p90s. */
    private static Map<String, List<StageResult>> ospreyAndUpstream(double osprey, double upstream) {
        Map<String, List<StageResult>> byStrategy = new LinkedHashMap<>();
        byStrategy.put("osprey-default", stages(osprey));
        byStrategy.put("upstream-default", stages(upstream));
        return byStrategy;
    }

    private static Scenario tinyScenario() {
        return ScenarioLoader.parse("""
                pool: {servers: 2, profile: test}
                workload:
                  stages: [{rate: 1, durationS: 10}]
                  promptTokens: {dist: constant, mean: 10}
                  outputTokens: {dist: constant, mean: 10}
                strategies: [osprey-default, upstream-default]
                """, "t");
    }

    @Test
    void severalSeedsArePooledStageByStage() {
        Map<String, List<StageResult>> seed1 = new LinkedHashMap<>();
        seed1.put("a", stages(100, 100));
        seed1.put("b", stages(400, 400));
        seed1.put("only-in-seed-1", stages(1));
        Map<String, List<StageResult>> seed2 = new LinkedHashMap<>();
        seed2.put("b", stages(100, 100));
        seed2.put("a", stages(400, 1600));

        Map<String, List<StageResult>> pooled = Ranking.pool(List.of(seed1, seed2));

        assertThat(pooled.keySet()).containsExactly("a", "b");
        assertThat(pooled.get("a")).hasSize(4);
        // a: (100 * 100 * 400 * 1600)^(1/4) = 282.8; b: (400 * 400 * 100 * 100)^(1/4) = 200
        assertThat(Ranking.score(pooled.get("a"), Ranking.Metric.TTFT_P90)).isCloseTo(282.84, within(0.01));
        assertThat(Ranking.order(pooled, Ranking.Metric.TTFT_P90).keySet()).containsExactly("b", "a");
        assertThat(Ranking.pool(List.of())).isEmpty();
    }

    @Test
    void reportWithSeveralSeedsRanksThemTogetherAndShowsEachAlone() {
        Map<String, List<StageResult>> sim1 = ospreyAndUpstream(100, 200);
        Map<String, List<StageResult>> sim2 = ospreyAndUpstream(300, 250);
        Map<String, List<StageResult>> live1 = ospreyAndUpstream(110, 230);
        Map<String, List<StageResult>> live2 = ospreyAndUpstream(200, 260);
        List<LiveReport.SeedRun> seeds = List.of(seedRun(1, sim1, live1), seedRun(2, sim2, live2));
        Ranking.Comparison pooled = Ranking.compare(Ranking.pool(List.of(sim1, sim2)),
                Ranking.pool(List.of(live1, live2)), Ranking.Metric.TTFT_P90, 0.1);
        LiveReport.Run run = new LiveReport.Run("live --seeds 1,2", LiveScale.defaults(), tinyScenario(), "simulated",
                seeds, pooled, "1", "2");

        String md = LiveReport.markdown(run);

        assertThat(pooled.matches()).isTrue();
        assertThat(seeds.get(1).comparison().matches()).isFalse();
        assertThat(md).contains("seeds 1, 2;").contains("over the stages of every seed")
                .contains("| 1 | osprey-default (173) | osprey-default (148) |")
                .contains("## Each seed alone").contains("| 2 | upstream-default (250 ms) < osprey-default (300 ms) | "
                        + "osprey-default (200 ms) < upstream-default (260 ms) | no | 0 of 1 |")
                .contains("## Seed 2, stage 0:").contains("| 2 | upstream-default | upstream-default |");
    }

    private static LiveReport.SeedRun seedRun(long seed, Map<String, List<StageResult>> sim,
            Map<String, List<StageResult>> live) {
        List<LiveVariant> variants = live.entrySet().stream()
                .map(e -> new LiveVariant(e.getKey(), e.getKey(), e.getValue(), Map.of(), 1, 1, 1)).toList();
        return new LiveReport.SeedRun(seed, 10, sim, variants, Ranking.compare(sim, live, Ranking.Metric.TTFT_P90,
                0.1));
    }
}
