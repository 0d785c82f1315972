package dev.osprey.aggregator.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.osprey.schemas.avro.DecisionOutcome;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolStatsTest {

    private static final String POOL = "c1/ns/pool-a";
    private static final String E1 = "10.0.0.1:8000";

    @TempDir
    Path stateDir;

    private static TopologyFixture fixture(Path dir) {
        return new TopologyFixture(dir, TopologyFixture.defaults().withSlos(Duration.ofMillis(100),
                Duration.ofMillis(1000)).withStatsGrace(Duration.ofSeconds(5)));
    }

    /** Moves the mock clock to the start of the next minute, so a test's events share one window. */
    private static void alignToMinute(TopologyFixture f) {
        long intoMinute = f.now() % PoolStatsProcessor.WINDOW_MS;
        f.advance(Duration.ofMillis(PoolStatsProcessor.WINDOW_MS - intoMinute));
        f.poolStats.readRecordsToList();
    }

    @Test
    void countsDecisionsAndOutcomesPerModelAndEmitsTheWindowAfterTheGrace() {
        try (TopologyFixture f = fixture(stateDir)) {
            alignToMinute(f);
            long windowStart = f.now();
            f.decide(f.routed(POOL, "r1", E1).setTargetModel("llama").setIncomingModel("chat"));
            f.decide(f.routed(POOL, "r2", E1).setIncomingModel("llama"));
            f.decide(f.routed(POOL, "r3", E1).setTargetModel("mistral"));
            f.decide(f.routed(POOL, "s1", E1).setTargetModel("llama").setOutcome(DecisionOutcome.SHED)
                    .setChosenEndpoints(List.of()));
            f.advance(Duration.ofSeconds(1));
            f.finish(f.outcome(POOL, "r1", 50, 500).setPromptTokens(100).setCompletionTokens(20));
            f.finish(f.outcome(POOL, "r2", 150, 500).setPromptTokens(10).setCompletionTokens(5));
            f.finish(f.outcome(POOL, "r3", 10, 100).setHttpStatus(503));
            f.finish(f.outcome(POOL, "never-decided", 10, 100));

            f.advance(Duration.ofSeconds(60));
            assertThat(f.poolStats.isEmpty()).as("the window is held for the grace period").isTrue();
            f.advance(Duration.ofSeconds(5));

            List<TestRecord<String, PoolStatsReport>> reports = f.poolStats.readRecordsToList();
            assertThat(reports).extracting(r -> r.value().model()).containsExactlyInAnyOrder("", "llama", "mistral");
            assertThat(reports).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo(POOL);
                assertThat(r.value().windowStartMs()).isEqualTo(windowStart);
                assertThat(r.value().windowEndMs()).isEqualTo(windowStart + 60_000);
            });
            PoolStatsReport llama = byModel(reports, "llama");
            assertThat(llama.requests()).isEqualTo(3);
            assertThat(llama.routed()).isEqualTo(2);
            assertThat(llama.shed()).isEqualTo(1);
            assertThat(llama.outcomes()).isEqualTo(2);
            assertThat(llama.errors()).isZero();
            assertThat(llama.promptTokens()).isEqualTo(110);
            assertThat(llama.completionTokens()).isEqualTo(25);
            assertThat(llama.sloMet()).as("r2 missed the 100 ms TTFT objective").isEqualTo(1);
            assertThat(llama.sloAttainment()).isEqualTo(0.5);
            assertThat(llama.ttftMs().count()).isEqualTo(2);
            assertThat(llama.ttftMs().max()).isEqualTo(150.0);
            PoolStatsReport mistral = byModel(reports, "mistral");
            assertThat(mistral.errors()).isEqualTo(1);
            assertThat(mistral.sloAttainment()).isEqualTo(0.0);
            PoolStatsReport unknown = byModel(reports, "");
            assertThat(unknown.requests()).isZero();
            assertThat(unknown.outcomes()).isEqualTo(1);
            assertThat(byModel(reports, "llama").latencyMs().p50()).isCloseTo(500, within(500 * 0.04));

            f.advance(Duration.ofSeconds(60));
            assertThat(f.poolStats.isEmpty()).as("emitted windows are gone").isTrue();
        }
    }

    @Test
    void separatesMinutesAndDropsEventsForEmittedWindows() {
        try (TopologyFixture f = fixture(stateDir)) {
            alignToMinute(f);
            long firstMinute = f.now();
            f.decide(f.routed(POOL, "r1", E1).setTargetModel("m"));
            f.advance(Duration.ofSeconds(61));
            f.decide(f.routed(POOL, "r2", E1).setTargetModel("m"));
            f.advance(Duration.ofSeconds(5));
            List<TestRecord<String, PoolStatsReport>> first = f.poolStats.readRecordsToList();
            assertThat(first).hasSize(1);
            assertThat(first.get(0).value().windowStartMs()).isEqualTo(firstMinute);
            assertThat(first.get(0).value().requests()).isEqualTo(1);

            f.decide(f.routed(POOL, "late", E1).setTargetModel("m").setDecidedAtMs(firstMinute + 10));
            assertThat(f.meters.get(AggregatorMetrics.STATS_LATE_EVENTS).counter().count()).isEqualTo(1.0);

            f.advance(Duration.ofSeconds(60));
            List<TestRecord<String, PoolStatsReport>> second = f.poolStats.readRecordsToList();
            assertThat(second).hasSize(1);
            assertThat(second.get(0).value().windowStartMs()).isEqualTo(firstMinute + 60_000);
            assertThat(second.get(0).value().requests()).isEqualTo(1);
            assertThat(second.get(0).value().sloAttainment()).as("no outcomes, no attainment").isNull();
        }
    }

    private static PoolStatsReport byModel(List<TestRecord<String, PoolStatsReport>> reports, String model) {
        return reports.stream().map(TestRecord::value).filter(r -> r.model().equals(model)).findFirst().orElseThrow();
    }
}
