package dev.osprey.epp.scheduling;

import static dev.osprey.epp.scheduling.Pools.NOW;
import static dev.osprey.epp.scheduling.Pools.config;
import static dev.osprey.epp.scheduling.Pools.ep;
import static dev.osprey.epp.scheduling.Pools.picked;
import static dev.osprey.epp.scheduling.Pools.pool;
import static dev.osprey.epp.scheduling.Pools.scores;
import static dev.osprey.epp.scheduling.Pools.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import org.junit.jupiter.api.Test;

class PrefixRoutingTest {

    private static final String SYSTEM = "You are a helpful assistant. ".repeat(40); // 1160 bytes = 18.1 blocks

    private static SchedulingRequest req(String id, String prompt) {
        return SchedulingRequest.builder(id, "model-a").prompt(prompt).build();
    }

    @Test
    void prefixScorerIsLeadingMatchedBlocksOverTotalFromSpeculativeEntries() {
        EndpointPicker p = seeded(config("prefix-cache-scorer", "max-score-picker"));
        PoolSnapshot s = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0));
        String first = picked(p.pick(s, req("1", SYSTEM + "question one"), NOW)).primary().endpointId();
        PickResult r = p.pick(s, req("2", SYSTEM + "another question entirely, much longer " + "z".repeat(200)), NOW);
        var sc = scores(r, "prefix-cache-scorer");
        // the shared 1160-byte prefix = 18 full blocks out of the new prompt's 1399 bytes = 22 blocks
        assertThat(sc.get(first)).isCloseTo(18.0 / 22, within(1e-9));
        String other = first.equals("a") ? "b" : "a";
        assertThat(sc.get(other)).isZero();
        assertThat(picked(r).primary().endpointId()).isEqualTo(first);
    }

    @Test
    void prefixesDoNotMatchAcrossModels() {
        EndpointPicker p = seeded(config("prefix-cache-scorer", "max-score-picker"));
        PoolSnapshot s = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0));
        p.pick(s, req("1", SYSTEM), NOW);
        PickResult r = p.pick(s, SchedulingRequest.builder("2", "model-b").prompt(SYSTEM).build(), NOW);
        assertThat(scores(r, "prefix-cache-scorer").values()).containsOnly(0.0);
    }

    @Test
    void ospreyDefaultHoldsAffinityUntilTheWarmEndpointIsSlowerThanACold() {
        EndpointPicker p = SchedulerFactory.builtIn("osprey-default",
                SchedulerOptions.defaults().withSeed(5).withExplanations(true));
        String longPrompt = SYSTEM.repeat(8); // ~9 KB ≈ 2320 tokens, 145 blocks
        PoolSnapshot idle = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0));
        String warm = picked(p.pick(idle, req("w", longPrompt + "q0"), NOW)).primary().endpointId();
        p.completed("w", NOW);
        String cold = warm.equals("a") ? "b" : "a";
        // warm has a little queue: the cached prefix still wins
        PoolSnapshot lightQueue = pool(snap(warm, 1), snap(cold, 0));
        assertThat(picked(p.pick(lightQueue, req("x", longPrompt + "q1"), NOW)).primary().endpointId())
                .isEqualTo(warm);
        p.completed("x", NOW);
        // warm has a long queue: the cold endpoint starts sooner
        PoolSnapshot heavyQueue = pool(snap(warm, 12), snap(cold, 0));
        PickResult.Picked r = picked(p.pick(heavyQueue, req("y", longPrompt + "q2"), NOW));
        assertThat(r.primary().endpointId()).isEqualTo(cold);
        assertThat(r.explanation().reason()).contains("est. TTFT");
    }

    @Test
    void stickyUntilSaturatedKeepsWarmEndpointsAboveTheThreshold() {
        EndpointPicker p = SchedulerFactory.builtIn("sticky-until-saturated",
                SchedulerOptions.defaults().withSeed(9));
        PoolSnapshot s = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0), ep("c", 0, 0, 0));
        String warm = picked(p.pick(s, req("0", SYSTEM + "tail"), NOW)).primary().endpointId();
        int stayed = 0;
        for (int i = 1; i <= 20; i++) {
            if (picked(p.pick(s, req("r" + i, SYSTEM + "tail " + i), NOW)).primary().endpointId().equals(warm)) {
                stayed++;
            }
        }
        // without the filter the uncached-inflight scorer would spread these; exploration is 1 %
        assertThat(stayed).isGreaterThanOrEqualTo(18);
    }

    private static EndpointSnapshot snap(String id, int waiting) {
        return ep(id, waiting, 0, 0);
    }
}
