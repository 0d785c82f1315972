package dev.osprey.epp.scheduling;

import static dev.osprey.epp.scheduling.Pools.NOW;
import static dev.osprey.epp.scheduling.Pools.config;
import static dev.osprey.epp.scheduling.Pools.ep;
import static dev.osprey.epp.scheduling.Pools.picked;
import static dev.osprey.epp.scheduling.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the scheduler takes from the aggregator's shared state: the other replicas' in-flight requests and the
 * shared prefix index.
 */
class CrossReplicaStateTest {

    private static final String SYSTEM = "You are a helpful assistant. ".repeat(40);

    private static EndpointSnapshot withPeers(String id, int waiting, int running, int peerInflight) {
        EndpointSnapshot e = ep(id, waiting, running, 0.1);
        return new EndpointSnapshot(e.endpointId(), e.address(), e.port(), waiting, running, 0.1,
                EndpointHealth.HEALTHY, NOW, 0, List.of(), List.of(), 0, peerInflight);
    }

    private static SchedulingRequest req(String id, String prompt) {
        return SchedulingRequest.builder(id, "model-a").prompt(prompt).build();
    }

    @Test
    void ospreyDefaultAvoidsAnEndpointOtherReplicasFilledSinceItsScrape() {
        EndpointPicker p = SchedulerFactory.builtIn("osprey-default", SchedulerOptions.defaults().withSeed(3));
        // both scraped idle; the other replicas have 12 requests in flight on "a" the scrape does not show yet
        PoolSnapshot s = pool(withPeers("a", 0, 0, 12), withPeers("b", 0, 0, 0));
        for (int i = 0; i < 6; i++) {
            assertThat(picked(p.pick(s, req("r" + i, "short " + i), NOW)).primary().endpointId())
                    .as("pick %d", i).isEqualTo("b");
        }
    }

    @Test
    void peerInflightAlreadyVisibleInTheScrapeIsNotCountedTwice() {
        EndpointPicker p = SchedulerFactory.builtIn("osprey-default", SchedulerOptions.defaults().withSeed(3));
        // "a": 4 waiting + 4 running, of which the peers' 8 in flight are a part; "b": 9 waiting, no peers
        PoolSnapshot s = pool(withPeers("a", 4, 4, 8), withPeers("b", 9, 0, 0));
        assertThat(picked(p.pick(s, req("r", "short"), NOW)).primary().endpointId()).isEqualTo("a");
    }

    @Test
    void leastRequestPickerCountsEveryReplicasInflight() {
        EndpointPicker p = Pools.seeded(config("least-request-p2c-picker"));
        PoolSnapshot s = pool(withPeers("a", 0, 0, 5), withPeers("b", 0, 0, 0));
        for (int i = 0; i < 5; i++) {
            assertThat(picked(p.pick(s, req("r" + i, ""), NOW)).primary().endpointId()).isEqualTo("b");
        }
        // now b has 5 of this replica's requests and a 5 of the peers': either may win, both must appear
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            String chosen = picked(p.pick(s, req("s" + i, ""), NOW)).primary().endpointId();
            seen.add(chosen);
            p.completed("s" + i, NOW);
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void sharedPrefixBlocksMakeAnotherReplicasWarmEndpointMatch() {
        EndpointPicker routedElsewhere = SchedulerFactory.builtIn("osprey-default",
                SchedulerOptions.defaults().withSeed(1));
        EndpointPicker here = SchedulerFactory.builtIn("osprey-default", SchedulerOptions.defaults().withSeed(1));
        PoolSnapshot s = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0), ep("c", 0, 0, 0));
        String longPrompt = SYSTEM.repeat(6);
        // the other replica routes the prompt (restricted to "c", as by a subset hint) and publishes its hashes
        PickResult.Picked there = picked(routedElsewhere.pick(s, SchedulingRequest.builder("x", "model-a")
                .prompt(longPrompt + "first").filter(e -> e.endpointId().equals("c")).build(), NOW));
        assertThat(there.primary().endpointId()).isEqualTo("c");
        assertThat(there.prefixHashes().size()).isGreaterThan(50);
        long[] newestFirst = new long[there.prefixHashes().size()];
        for (int i = 0; i < newestFirst.length; i++) {
            newestFirst[i] = there.prefixHashes().get(newestFirst.length - 1 - i);
        }
        here.mergeSharedPrefixes("c", newestFirst, newestFirst.length);
        for (int i = 0; i < 3; i++) {
            PickResult.Picked p = picked(here.pick(s, req("y" + i, longPrompt + "follow-up " + i), NOW));
            assertThat(p.primary().endpointId()).as("pick %d", i).isEqualTo("c");
            here.completed("y" + i, NOW);
        }
    }

    @Test
    void profilesWithoutPrefixScoringRecordNoHashes() {
        EndpointPicker p = Pools.seeded(config("queue-scorer", "max-score-picker"));
        PickResult.Picked picked = picked(p.pick(pool(ep("a", 0, 0, 0)), req("r", SYSTEM), NOW));
        assertThat(picked.prefixHashes()).isEqualTo(BlockHashes.NONE);
    }

    @Test
    void ownCompletionsSinceTheScrapeAreTakenOffOnceWhenPeersHaveRequestsThere() {
        EndpointPicker p = SchedulerFactory.builtIn("osprey-default",
                SchedulerOptions.defaults().withSeed(3).withExplanations(true));
        PoolSnapshot before = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0));
        for (int i = 0; i < 3; i++) {
            p.pick(before, SchedulingRequest.builder("own-" + i, "m").promptTokens(100)
                    .filter(e -> e.endpointId().equals("a")).build(), NOW - 300);
        }
        p.completed("own-0", NOW - 50);
        p.completed("own-1", NOW - 50);
        // scraped 100 ms ago with 3 waiting + 4 running; the peers now have 8 in flight there, 4 more than then
        EndpointSnapshot a = new EndpointSnapshot("a", "10.0.0.1", 8000, 3, 4, 0.1, EndpointHealth.HEALTHY,
                NOW - 100, 0, List.of(), List.of(), 0, 8);
        EndpointSnapshot b = EndpointSnapshot.of("b", "10.0.0.2", 8000, 0, 0, 0.1, NOW - 100);
        PickResult r = p.pick(pool(a, b), SchedulingRequest.builder("r", "m").promptTokens(100).build(), NOW);
        // 4 unseen (in flight 1 + 8, plus the 2 completions, − 7 scraped), 2 of the 7 queued let in: 5 queued,
        // 8 in the batch. Taking the completions off the in-flight difference too would leave 3 queued.
        double mean = 100 + 412 * Math.pow(1 - 1.0 / 256, 3);
        double est = (5 * mean + 100) / 10 + 8 * 0.25;
        assertThat(Pools.scores(r, "osprey-ttft-scorer").get("a"))
                .isCloseTo(11.0 / (est + 1), org.assertj.core.api.Assertions.within(1e-6));
    }
}
