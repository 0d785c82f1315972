package dev.osprey.bench.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osprey.bench.sim.Scenario;
import dev.osprey.bench.sim.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveScaleTest {

    private static final Scenario LADDER = ScenarioLoader.parse("""
            name: ladder
            pool: {servers: 4, profile: h100-8b, kvBlocks: 8000}
            pipeline: {scrapeIntervalMs: 50, delaysMs: [0, 100]}
            workload:
              stages: [{rate: 2, durationS: 30}, {rate: 8, durationS: 30}, {rate: 10, durationS: 20}]
              sharedPrefix: {groups: 60, prefixTokens: 6000, usersPerGroup: 5}
              promptTokens: {dist: constant, mean: 1200}
              outputTokens: {dist: constant, mean: 300}
            slo: {ttftMs: 1000, tpotMs: 50}
            strategies: [osprey-default, {name: mine, config: configs/mine.yaml}]
            """, "ladder");

    @Test
    void keepsTheChosenStagesWithScaledDurations() {
        Scenario s = new LiveScale(List.of(1, 2), 0.5, 1.0).apply(LADDER, Path.of("/scenarios"));

        assertThat(s.workload().stages()).extracting(Scenario.Stage::rate).containsExactly(8.0, 10.0);
        assertThat(s.workload().stages()).extracting(Scenario.Stage::durationS).containsExactly(15.0, 10.0);
        assertThat(s.pool().servers()).isEqualTo(4);
        assertThat(s.workload().sharedPrefix().groups()).isEqualTo(60);
        assertThat(s.name()).isEqualTo("ladder-live");
    }

    @Test
    void poolScaleKeepsLoadAndPrefixWorkingSetPerServer() {
        Scenario s = new LiveScale(List.of(), 1.0, 0.5).apply(LADDER, Path.of("/scenarios"));

        assertThat(s.pool().servers()).isEqualTo(2);
        assertThat(s.workload().stages()).extracting(Scenario.Stage::rate).containsExactly(1.0, 4.0, 5.0);
        assertThat(s.workload().sharedPrefix().groups()).isEqualTo(30);
        assertThat(s.workload().sharedPrefix().prefixTokens()).isEqualTo(6000);
        assertThat(s.pool().kvBlocks()).isEqualTo(8000);
    }

    @Test
    void ratesFollowTheRoundedServerCountNotTheRawFactor() {
        Scenario s = new LiveScale(List.of(0), 1.0, 0.3).apply(LADDER, Path.of("/scenarios"));

        // 4 × 0.3 = 1.2 → 1 server, so rates × 1/4.
        assertThat(s.pool().servers()).isEqualTo(1);
        assertThat(s.workload().stages().get(0).rate()).isEqualTo(0.5);
        assertThat(s.workload().sharedPrefix().groups()).isEqualTo(15);
    }

    @Test
    void keepsOnlyTheFirstPipelineDelayAndMakesConfigPathsAbsolute() {
        Scenario s = LiveScale.defaults().apply(LADDER, Path.of("/scenarios"));

        assertThat(s.pipeline().delaysMs()).containsExactly(0);
        assertThat(s.strategies().get(1).config()).isEqualTo(Path.of("/scenarios/configs/mine.yaml").toString());
        assertThat(s.strategies().get(0).config()).isNull();
        assertThat(s.workload().stages()).extracting(Scenario.Stage::durationS).containsExactly(7.5, 7.5, 5.0);
    }

    @Test
    void slowdownSlowsTheHardwareAndStretchesTimeSoTheSameRequestsQueueTheSame() {
        Scenario s = new LiveScale(List.of(1, 2), 0.5, 1.0, 2.0).apply(LADDER, Path.of("/scenarios"));

        assertThat(s.pool().slowdown()).isEqualTo(2.0);
        assertThat(s.workload().stages()).extracting(Scenario.Stage::rate).containsExactly(4.0, 5.0);
        assertThat(s.workload().stages()).extracting(Scenario.Stage::durationS).containsExactly(30.0, 20.0);
        assertThat(s.pipeline().scrapeIntervalMs()).isEqualTo(100);
        assertThat(s.slo().ttftMs()).isEqualTo(2000.0);
        assertThat(s.slo().tpotMs()).isEqualTo(100.0);
        assertThat(s.slo().e2eMs()).isNull();
        assertThat(new LiveScale(List.of(1, 2), 0.5, 1.0, 2.0).describe()).contains("hardware 2× slower");
        assertThat(new LiveScale(List.of(1, 2), 0.5, 1.0).describe()).doesNotContain("slower");
    }

    @Test
    void theLivePoolsSimulatorsRunOnTheSlowedHardware() {
        Scenario s = new LiveScale(List.of(1), 1.0, 1.0, 3.0).apply(LADDER, Path.of("/scenarios"));

        dev.osprey.allinone.SimulatorSettings sim = LiveRun.simulatorSettings(s);
        assertThat(sim.slowdown()).isEqualTo(3.0);
        assertThat(sim.simConfig("127.0.0.1", 8000, "m").profile().stepBaseMillis())
                .isEqualTo(3 * dev.osprey.sim.engine.LatencyProfile.H100_8B.stepBaseMillis());
        assertThat(sim.simConfig("127.0.0.1", 8000, "m").numGpuBlocks()).isEqualTo(8000);
    }

    @Test
    void rejectsStagesBeyondTheLadderAndBadFactors() {
        assertThatThrownBy(() -> new LiveScale(List.of(3), 1, 1).apply(LADDER, Path.of(".")))
                .hasMessage("--stages: scenario ladder has stages 0..2, got 3");
        assertThatThrownBy(() -> new LiveScale(List.of(), 0, 1)).hasMessageStartingWith("--time-scale");
        assertThatThrownBy(() -> new LiveScale(List.of(), 1, 1.5)).hasMessageStartingWith("--pool-scale");
        assertThatThrownBy(() -> new LiveScale(List.of(-1), 1, 1)).hasMessageStartingWith("--stages");
        assertThatThrownBy(() -> new LiveScale(List.of(), 1, 1, 0.5)).hasMessageStartingWith("--slowdown");
    }

    @Test
    void leavesTheInputScenarioAlone() {
        new LiveScale(List.of(0), 0.1, 0.5).apply(LADDER, Path.of("."));

        assertThat(LADDER.workload().stages()).hasSize(3);
        assertThat(LADDER.pool().servers()).isEqualTo(4);
    }
}
