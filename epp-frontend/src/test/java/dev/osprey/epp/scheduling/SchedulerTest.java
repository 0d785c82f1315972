package dev.osprey.epp.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    private static final long NOW = 1_700_000_000_000L;
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private final Random random = new Random(42);
    private final Scheduler scheduler = new Scheduler(new InflightTracker(60_000), SaturationDetector.DEFAULTS, clock, () -> random);

    private static EndpointSnapshot ep(String name, int waiting, int running) {
        return EndpointSnapshot.of("c/ns/" + name + ":8000", "10.0.0." + name.hashCode() % 200, 8000, waiting,
                running, 0.2, NOW - 10);
    }

    private static PoolSnapshot pool(EndpointSnapshot... endpoints) {
        return new PoolSnapshot("c/ns/p", 1, NOW, List.of(endpoints));
    }

    private EndpointSnapshot pickOne(PoolSnapshot snapshot) {
        PickResult r = scheduler.pick(snapshot, e -> true, 0);
        assertThat(r).isInstanceOf(PickResult.Picked.class);
        return ((PickResult.Picked) r).primary();
    }

    @Test
    void lowestWaitingPlusRunningWins() {
        EndpointSnapshot a = ep("a", 3, 2);
        EndpointSnapshot b = ep("b", 0, 4);
        EndpointSnapshot c = ep("c", 1, 5);
        assertThat(pickOne(pool(a, b, c))).isEqualTo(b);
    }

    @Test
    void inflightCorrectionSpreadsABurstBetweenSnapshots() {
        PoolSnapshot snapshot = pool(ep("a", 0, 0), ep("b", 0, 0), ep("c", 0, 0), ep("d", 2, 0));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 9; i++) {
            counts.merge(pickOne(snapshot).endpointId(), 1, Integer::sum);
        }
        // a, b and c each get 3 picks; d (2 queued) would need a load above 2 everywhere else to be chosen.
        assertThat(counts).containsOnlyKeys("c/ns/a:8000", "c/ns/b:8000", "c/ns/c:8000");
        assertThat(counts.values()).containsOnly(3);
        counts.clear();
        for (int i = 0; i < 4; i++) {
            counts.merge(pickOne(snapshot).endpointId(), 1, Integer::sum);
        }
        assertThat(counts).containsKey("c/ns/d:8000");
    }

    @Test
    void dispatchesBeforeTheScrapeDoNotCount() {
        InflightTracker tracker = new InflightTracker(60_000);
        tracker.recordDispatch("x", NOW - 100);
        tracker.recordDispatch("x", NOW - 5);
        assertThat(tracker.dispatchedSince("x", NOW - 50, NOW)).isEqualTo(1);
        assertThat(tracker.dispatchedSince("x", NOW - 200, NOW)).isEqualTo(2);
        assertThat(tracker.dispatchedSince("x", NOW - 200, NOW + 60_000)).as("older than retention").isZero();
    }

    @Test
    void unhealthyEndpointsAreSkipped() {
        EndpointSnapshot sick = ep("a", 0, 0).withHealth(EndpointHealth.UNHEALTHY);
        EndpointSnapshot busy = ep("b", 10, 10);
        for (int i = 0; i < 5; i++) {
            assertThat(pickOne(pool(sick, busy))).isEqualTo(busy);
        }
    }

    @Test
    void allUnhealthyFallsBackToAll() {
        EndpointSnapshot a = ep("a", 5, 0).withHealth(EndpointHealth.UNHEALTHY);
        EndpointSnapshot b = ep("b", 1, 0).withHealth(EndpointHealth.UNHEALTHY);
        assertThat(pickOne(pool(a, b))).isEqualTo(b);
    }

    @Test
    void tiesAreBrokenRandomly() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            // A fresh tracker each time so only the random tie-break decides.
            Scheduler fresh = new Scheduler(new InflightTracker(60_000), SaturationDetector.DEFAULTS, clock, () -> random);
            PickResult.Picked p = (PickResult.Picked) fresh.pick(pool(ep("a", 1, 1), ep("b", 1, 1), ep("c", 1, 1)),
                    e -> true, 0);
            counts.merge(p.primary().endpointId(), 1, Integer::sum);
        }
        assertThat(counts).hasSize(3);
        assertThat(counts.values()).allMatch(n -> n > 30);
    }

    @Test
    void noCandidatesIsTyped() {
        assertThat(scheduler.pick(pool(), e -> true, 0)).isInstanceOf(PickResult.NoCandidates.class);
        assertThat(scheduler.pick(pool(ep("a", 0, 0)), e -> false, 0)).isInstanceOf(PickResult.NoCandidates.class);
        assertThat(scheduler.pickRandom(pool(), e -> true)).isInstanceOf(PickResult.NoCandidates.class);
    }

    @Test
    void fallbacksFollowInIncreasingLoad() {
        EndpointSnapshot a = ep("a", 0, 0);
        EndpointSnapshot b = ep("b", 5, 0);
        EndpointSnapshot c = ep("c", 2, 0);
        PickResult.Picked p = (PickResult.Picked) scheduler.pick(pool(a, b, c), e -> true, 2);
        assertThat(p.primary()).isEqualTo(a);
        assertThat(p.fallbacks()).containsExactly(c, b);
        assertThat(p.destination()).isEqualTo(a.hostPort() + "," + c.hostPort() + "," + b.hostPort());
    }

    @Test
    void shedsSheddableRequestsOnlyWhenEveryCandidateIsSaturated() {
        EndpointSnapshot queued = ep("a", 5, 0);
        EndpointSnapshot stale = EndpointSnapshot.of("c/ns/s:8000", "10.9.9.9", 8000, 0, 0, 0.1, NOW - 1000);
        PickRequest sheddable = new PickRequest(e -> true, 0, dev.osprey.api.Criticality.SHEDDABLE);
        assertThat(scheduler.pick(pool(queued, stale), sheddable)).isInstanceOf(PickResult.Shed.class);
        assertThat(scheduler.pick(pool(queued, stale), PickRequest.standard())).isInstanceOf(PickResult.Picked.class);
        assertThat(scheduler.pick(pool(queued, ep("b", 4, 0)), sheddable)).isInstanceOf(PickResult.Picked.class);
    }
}
