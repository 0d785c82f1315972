package dev.osprey.epp.scheduling;

import static dev.osprey.epp.scheduling.Pools.NOW;
import static dev.osprey.epp.scheduling.Pools.config;
import static dev.osprey.epp.scheduling.Pools.ep;
import static dev.osprey.epp.scheduling.Pools.picked;
import static dev.osprey.epp.scheduling.Pools.pool;
import static dev.osprey.epp.scheduling.Pools.request;
import static dev.osprey.epp.scheduling.Pools.seeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.epp.state.PoolSnapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PickersTest {

    private static Map<String, Integer> counts(EndpointPicker p, PoolSnapshot s, int n) {
        Map<String, Integer> c = new HashMap<>();
        for (int i = 0; i < n; i++) {
            c.merge(picked(p.pick(s, request("r" + i), NOW)).primary().endpointId(), 1, Integer::sum);
            p.completed("r" + i, NOW);
        }
        return c;
    }

    @Test
    void maxScorePickerTakesTheHighestAndBreaksTiesAtRandom() {
        EndpointPicker p = seeded(config("queue-scorer", "max-score-picker"));
        assertThat(counts(p, pool(ep("a", 1, 0, 0), ep("b", 0, 0, 0), ep("c", 0, 0, 0), ep("d", 7, 0, 0)), 200))
                .containsOnlyKeys("b", "c").allSatisfy((k, v) -> assertThat(v).isBetween(60, 140));
    }

    @Test
    void maxScorePickerReturnsFallbacksInScoreOrder() {
        EndpointPicker p = seeded(config("queue-scorer", "max-score-picker"));
        PickResult.Picked r = picked(p.pick(pool(ep("a", 4, 0, 0), ep("b", 0, 0, 0), ep("c", 2, 0, 0)),
                SchedulingRequest.builder("r", "m").fallbacks(2).build(), NOW));
        assertThat(r.primary().endpointId()).isEqualTo("b");
        assertThat(r.fallbacks()).extracting(e -> e.endpointId()).containsExactly("c", "a");
    }

    @Test
    void maxNumOfEndpointsCapsTheResult() {
        EndpointPicker p = seeded("""
                apiVersion: inference.networking.x-k8s.io/v1alpha1
                kind: EndpointPickerConfig
                plugins:
                - type: random-picker
                  parameters:
                    maxNumOfEndpoints: 1
                """);
        PickResult.Picked r = picked(p.pick(pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0)),
                SchedulingRequest.builder("r", "m").fallbacks(1).build(), NOW));
        assertThat(r.fallbacks()).isEmpty();
    }

    @Test
    void randomPickerReturnsDistinctEndpointsAndCoversAll() {
        EndpointPicker p = seeded(config("random-picker"));
        PoolSnapshot s = pool(ep("a", 0, 0, 0), ep("b", 9, 0, 0), ep("c", 0, 0, 0));
        PickResult.Picked r = picked(p.pick(s, SchedulingRequest.builder("r", "m").fallbacks(2).build(), NOW));
        Set<String> ids = new HashSet<>();
        ids.add(r.primary().endpointId());
        r.fallbacks().forEach(f -> ids.add(f.endpointId()));
        assertThat(ids).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(counts(p, s, 300)).containsOnlyKeys("a", "b", "c");
    }

    @Test
    void weightedRandomPickerFavoursHigherScoresAndNeverPicksZeroWhenOthersArePositive() {
        EndpointPicker p = seeded(config("queue-scorer", "weighted-random-picker"));
        Map<String, Integer> c = counts(p, pool(ep("hi", 0, 0, 0), ep("mid", 5, 0, 0), ep("zero", 10, 0, 0)), 400);
        assertThat(c).doesNotContainKey("zero");
        assertThat(c.get("hi")).isGreaterThan(c.get("mid"));
    }

    @Test
    void weightedRandomPickerIsUniformWhenEveryScoreIsZero() {
        EndpointPicker p = seeded(config("kv-cache-utilization-scorer", "weighted-random-picker"));
        assertThat(counts(p, pool(ep("a", 0, 0, 1.0), ep("b", 0, 0, 1.0)), 200)).containsOnlyKeys("a", "b");
    }

    @Test
    void roundRobinCyclesThroughCandidates() {
        EndpointPicker p = SchedulerFactory.builtIn("round-robin");
        PoolSnapshot s = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0), ep("c", 0, 0, 0));
        assertThat(counts(p, s, 9)).containsEntry("a", 3).containsEntry("b", 3).containsEntry("c", 3);
    }

    @Test
    void leastRequestP2cNeverPicksTheBusierOfTwo() {
        EndpointPicker p = SchedulerFactory.builtIn("least-request-p2c", SchedulerOptions.defaults().withSeed(3));
        PoolSnapshot s = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0));
        // never completed: in-flight accumulates, so the two endpoints alternate
        Map<String, Integer> c = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            c.merge(picked(p.pick(s, request("r" + i), NOW)).primary().endpointId(), 1, Integer::sum);
        }
        assertThat(c).containsEntry("a", 5).containsEntry("b", 5);
    }
}
