package dev.osprey.epp.scheduling;

import static dev.osprey.epp.scheduling.Pools.NOW;
import static dev.osprey.epp.scheduling.Pools.ep;
import static dev.osprey.epp.scheduling.Pools.picked;
import static dev.osprey.epp.scheduling.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.api.Criticality;
import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTreeTest {

    private final EndpointPicker tree = SchedulerFactory.builtIn("legacy-decision-tree",
            SchedulerOptions.defaults().withSeed(11));

    private Set<String> chosen(PoolSnapshot s, Criticality c, String adapter, int n) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < n; i++) {
            PickResult r = tree.pick(s, SchedulingRequest.builder("r" + i, "base").criticality(c)
                    .loraAdapter(adapter).build(), NOW);
            out.add(picked(r).primary().endpointId());
            tree.completed("r" + i, NOW);
        }
        return out;
    }

    private static EndpointSnapshot ep2(String id, int waiting, double kv, List<String> running, int slots) {
        return new EndpointSnapshot(id, "10.1.0." + Math.abs(id.hashCode() % 250), 8000, waiting, 0, kv,
                EndpointHealth.HEALTHY, NOW, 0, running, List.of(), slots);
    }

    @Test
    void standardRequestsGoToTheLeastQueuedEndpointsWithCapacity() {
        // capacity: a, b, c (waiting <= 5, kv <= 0.8); least-queue limit = 0 + (4-0)/3 -> a (0) and b (1)
        PoolSnapshot s = pool(ep("a", 0, 0, 0.1), ep("b", 1, 0, 0.1), ep("c", 4, 0, 0.1), ep("d", 2, 0, 0.9));
        assertThat(chosen(s, Criticality.STANDARD, "", 60)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void leastKvIsTheLastStep() {
        PoolSnapshot s = pool(ep("a", 0, 0, 0.1), ep("b", 0, 0, 0.7));
        assertThat(chosen(s, Criticality.STANDARD, "", 30)).containsExactly("a");
    }

    @Test
    void nonCriticalRequestsAreDroppedWithoutCapacity() {
        PoolSnapshot s = pool(ep("a", 6, 0, 0.1), ep("b", 0, 0, 0.81));
        assertThat(tree.pick(s, SchedulingRequest.builder("x", "m").criticality(Criticality.STANDARD).build(), NOW))
                .isInstanceOfSatisfying(PickResult.Shed.class, r -> assertThat(r.reason()).contains("capacity"));
        // a sheddable request already meets the saturation detector (mean score > 1)
        assertThat(tree.pick(s, SchedulingRequest.builder("y", "m").criticality(Criticality.SHEDDABLE).build(), NOW))
                .isInstanceOf(PickResult.Shed.class);
        // with one endpoint that has capacity, a sheddable request goes there
        PickResult r = tree.pick(pool(ep("a", 6, 0, 0.1), ep("b", 0, 0, 0.81), ep("c", 0, 0, 0.1)),
                SchedulingRequest.builder("z", "m").criticality(Criticality.SHEDDABLE).build(), NOW);
        assertThat(picked(r).primary().endpointId()).isEqualTo("c");
    }

    @Test
    void criticalRequestsAreRoutedEvenWhenEverythingIsFull() {
        PoolSnapshot s = pool(ep("a", 200, 0, 0.95), ep("b", 150, 0, 0.99));
        // low-queueing fails (>= 128) -> least queue: limit 150 + 50/2 = 175 -> b only
        assertThat(chosen(s, Criticality.CRITICAL, "", 20)).containsExactly("b");
    }

    @Test
    void criticalRequestsPreferEndpointsWithTheAdapter() {
        PoolSnapshot s = pool(ep2("has", 3, 0.1, List.of("sql"), 4), ep2("free", 0, 0.1, List.of(), 4),
                ep2("full", 0, 0.1, List.of("x"), 1));
        // low-queueing keeps all -> LoRA affinity keeps "has" with probability 0.999
        Set<String> c = chosen(s, Criticality.CRITICAL, "sql", 50);
        assertThat(c).contains("has").doesNotContain("full");
    }

    @Test
    void standardRequestsApplyLoraAfterLeastQueue() {
        PoolSnapshot s = pool(ep2("has", 3, 0.1, List.of("sql"), 4), ep2("free", 0, 0.1, List.of(), 4),
                ep2("full", 0, 0.1, List.of("x"), 1));
        // least queue: limit 0 + 3/3 = 1 -> free, full; LoRA: only "free" has a slot
        assertThat(chosen(s, Criticality.STANDARD, "sql", 40)).containsExactly("free");
    }
}
