package dev.osprey.epp.scheduling;

import static dev.osprey.epp.scheduling.Pools.NOW;
import static dev.osprey.epp.scheduling.Pools.config;
import static dev.osprey.epp.scheduling.Pools.ep;
import static dev.osprey.epp.scheduling.Pools.picked;
import static dev.osprey.epp.scheduling.Pools.pool;
import static dev.osprey.epp.scheduling.Pools.request;
import static dev.osprey.epp.scheduling.Pools.seeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.api.Criticality;
import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulingEngineTest {

    private static SchedulingRequest sheddable(String id) {
        return SchedulingRequest.builder(id, "m").criticality(Criticality.SHEDDABLE).build();
    }

    @Test
    void emptyPoolOrSubsetGivesNoCandidates() {
        EndpointPicker p = SchedulerFactory.builtIn("osprey-default");
        assertThat(p.pick(pool(), request("r"), NOW)).isInstanceOf(PickResult.NoCandidates.class);
        assertThat(p.pick(pool(ep("a", 0, 0, 0)), SchedulingRequest.builder("r", "m").filter(e -> false).build(),
                NOW)).isInstanceOf(PickResult.NoCandidates.class);
    }

    @Test
    void everythingFilteredOutIsShedWithTheFilterNamed() {
        EndpointPicker p = seeded(config("header-based-testing-filter", "random-picker"));
        PickResult r = p.pick(pool(ep("a", 0, 0, 0)), SchedulingRequest.builder("r", "m")
                .headers(java.util.Map.of("test-epp-endpoint-selection", "192.0.2.1")).build(), NOW);
        assertThat(r).isInstanceOfSatisfying(PickResult.Shed.class,
                s -> assertThat(s.reason()).contains("header-based-testing-filter"));
    }

    @Test
    void unhealthyEndpointsAreSkippedUnlessAllAreUnhealthy() {
        EndpointPicker p = SchedulerFactory.builtIn("random");
        EndpointSnapshot bad = ep("bad", 0, 0, 0).withHealth(EndpointHealth.UNHEALTHY);
        for (int i = 0; i < 20; i++) {
            assertThat(picked(p.pick(pool(bad, ep("ok", 0, 0, 0)), request("r" + i), NOW)).primary().endpointId())
                    .isEqualTo("ok");
        }
        assertThat(picked(p.pick(pool(bad), request("x"), NOW)).primary().endpointId()).isEqualTo("bad");
    }

    @Test
    void sheddableRequestsAreShedOnlyWhenThePoolIsSaturated() {
        EndpointPicker p = SchedulerFactory.builtIn("osprey-default");
        PoolSnapshot saturated = pool(ep("a", 5, 0, 0), ep("b", 0, 0, 0.8));
        assertThat(p.pick(saturated, sheddable("s"), NOW)).isInstanceOf(PickResult.Shed.class);
        assertThat(p.pick(saturated, request("std"), NOW)).isInstanceOf(PickResult.Picked.class);
        assertThat(p.pick(saturated, SchedulingRequest.builder("neg", "m").priority(-1).build(), NOW))
                .isInstanceOf(PickResult.Shed.class);
        assertThat(p.pick(pool(ep("a", 5, 0, 0), ep("b", 4, 0, 0)), sheddable("s2"), NOW))
                .isInstanceOf(PickResult.Picked.class);
    }

    @Test
    void staleMetricsCountAsSaturated() {
        EndpointPicker p = SchedulerFactory.builtIn("upstream-default");
        EndpointSnapshot old = EndpointSnapshot.of("a", "10.0.0.1", 8000, 0, 0, 0, NOW - 201);
        assertThat(p.pick(pool(old), sheddable("s"), NOW)).isInstanceOf(PickResult.Shed.class);
        EndpointSnapshot fresh = EndpointSnapshot.of("a", "10.0.0.1", 8000, 0, 0, 0, NOW - 199);
        assertThat(p.pick(pool(fresh), sheddable("s2"), NOW)).isInstanceOf(PickResult.Picked.class);
        EndpointSnapshot staleHealth = fresh.withHealth(EndpointHealth.STALE);
        assertThat(p.pick(pool(staleHealth), sheddable("s3"), NOW)).isInstanceOf(PickResult.Shed.class);
    }

    @Test
    void picksCarryAnExplanationWithScoresAndReason() {
        PickResult.Picked r = picked(SchedulerFactory.builtIn("osprey-default").pick(
                pool(ep("a", 3, 1, 0.2), ep("b", 0, 0, 0.1)), SchedulingRequest.builder("r", "m")
                        .headers(java.util.Map.of("x-osprey-explain", "true")).build(), NOW));
        assertThat(r.primary().endpointId()).isEqualTo("b");
        assertThat(r.explanation().profile()).isEqualTo("default");
        assertThat(r.explanation().reason()).contains("b").contains("est. TTFT");
        assertThat(r.explanation().endpoints()).extracting(Explanation.EndpointScores::endpointId)
                .containsExactly("b", "a");
        assertThat(r.loads()).containsKeys("a", "b");
        assertThat(r.explanation().headerValue()).startsWith("profile=default; reason=").contains("scores=b=1.000");
    }

    @Test
    void withoutTheExplainHeaderPicksCarryTotalsAndAShortReasonOnly() {
        PickResult.Picked r = picked(SchedulerFactory.builtIn("osprey-default").pick(
                pool(ep("a", 3, 1, 0.2), ep("b", 0, 0, 0.1)), request("r"), NOW));
        assertThat(r.loads()).containsKeys("a", "b");
        assertThat(r.explanation().reason()).isEqualTo("b scored 1.0");
        assertThat(r.explanation().endpoints().get(0).byPlugin()).isEmpty();
    }

    @Test
    void dispatchesSinceTheScrapeSpreadABurst() {
        EndpointPicker p = SchedulerFactory.builtIn("osprey-default", SchedulerOptions.defaults().withSeed(1));
        PoolSnapshot s = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0), ep("c", 0, 0, 0));
        java.util.Map<String, Integer> c = new java.util.HashMap<>();
        for (int i = 0; i < 9; i++) {
            c.merge(picked(p.pick(s, SchedulingRequest.builder("r" + i, "m").promptTokens(100).build(), NOW + 1))
                    .primary().endpointId(), 1, Integer::sum);
        }
        assertThat(c).containsEntry("a", 3).containsEntry("b", 3).containsEntry("c", 3);
    }

    @Test
    void unknownBuiltInNameFailsNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SchedulerFactory.builtIn("nope"))
                .hasMessageContaining("nope").hasMessageContaining("osprey-default");
    }

    @Test
    void everyBuiltInLoadsAndPicks() {
        for (String name : SchedulerFactory.builtInNames()) {
            EndpointPicker p = SchedulerFactory.builtIn(name);
            assertThat(p.name()).isEqualTo(name);
            assertThat(p.pick(pool(ep("a", 0, 0, 0), ep("b", 1, 0, 0)), request("r"), NOW))
                    .as(name).isInstanceOf(PickResult.Picked.class);
        }
        assertThat(SchedulerFactory.builtInNames()).containsAll(List.of("osprey-default", "upstream-default",
                "sticky-until-saturated", "legacy-decision-tree", "random", "round-robin", "least-request-p2c"));
    }
}
