package dev.osprey.epp.scheduling;

import static dev.osprey.epp.scheduling.Pools.NOW;
import static dev.osprey.epp.scheduling.Pools.ep;
import static dev.osprey.epp.scheduling.Pools.picked;
import static dev.osprey.epp.scheduling.Pools.pool;
import static dev.osprey.epp.scheduling.Pools.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The formula of {@code osprey-ttft-scorer} (osprey-default), read back through the pick's scores and notes. */
class OspreyTtftScorerTest {

    private static final String SHARED = "You are a helpful assistant. ".repeat(80); // 2320 bytes = 36 blocks

    private static EndpointPicker picker() {
        return SchedulerFactory.builtIn("osprey-default",
                SchedulerOptions.defaults().withSeed(3).withExplanations(true));
    }

    private static SchedulingRequest req(String id, String prompt) {
        return SchedulingRequest.builder(id, "model-a").prompt(prompt).build();
    }

    @Test
    void beforeAnyDispatchTheQueueCostsMeanPromptTokensPerWaitingRequest() {
        // a: 2 waiting → (2 × 512 + 100) / 10 = 112.4 ms; b: 100 / 10 = 10 ms; score = (min + 1) / (est + 1)
        PickResult r = picker().pick(pool(ep("a", 2, 0, 0), ep("b", 0, 0, 0)),
                SchedulingRequest.builder("r", "m").promptTokens(100).build(), NOW);
        Map<String, Double> s = scores(r, "osprey-ttft-scorer");
        assertThat(s.get("b")).isEqualTo(1.0);
        assertThat(s.get("a")).isCloseTo(11.0 / 113.4, within(1e-9));
    }

    @Test
    void equalEndpointsTieAtOne() {
        PickResult r = picker().pick(pool(ep("a", 1, 3, 0.2), ep("b", 1, 3, 0.2)), Pools.request("r"), NOW);
        assertThat(scores(r, "osprey-ttft-scorer").values()).containsOnly(1.0);
    }

    @Test
    void staleMetricsStretchTheEstimateByTheirAge() {
        // fresh: 100 / 10 = 10 ms; 1 s old: 10 × (1 + 1) + 25 = 45 ms
        EndpointSnapshot old = EndpointSnapshot.of("old", "10.0.0.9", 8000, 0, 0, 0, NOW - 1000);
        PickResult r = picker().pick(pool(old, ep("fresh", 0, 0, 0)),
                SchedulingRequest.builder("r", "m").promptTokens(100).build(), NOW);
        assertThat(scores(r, "osprey-ttft-scorer").get("old")).isCloseTo(11.0 / 46, within(1e-9));
    }

    @Test
    void queuedRequestsAreCountedInTheUncachedTokensRecentRequestsBrought() {
        EndpointPicker p = picker();
        PoolSnapshot idle = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0));
        for (int i = 0; i < 512; i++) {
            p.pick(idle, SchedulingRequest.builder("warm-up-" + i, "m").promptTokens(100).build(), NOW);
            p.completed("warm-up-" + i, NOW);
        }
        // the learned mean is now ≈ 100 + 412 × (1 − 1/256)^512 ≈ 155.6 tokens per queued request
        PickResult r = p.pick(pool(ep("a", 2, 0, 0), ep("b", 0, 0, 0)),
                SchedulingRequest.builder("r", "m").promptTokens(100).build(), NOW);
        double mean = 100 + 412 * Math.pow(1 - 1.0 / 256, 512);
        assertThat(scores(r, "osprey-ttft-scorer").get("a")).isCloseTo(11.0 / ((2 * mean + 100) / 10 + 1),
                within(1e-6));
    }

    @Test
    void aNewSharedPrefixGoesWhereItDisplacesTheLeastCachedContent() {
        EndpointPicker p = picker();
        // one group of requests sharing a prefix lands on some endpoint and keeps hitting it: reuse > 0
        String home = picked(p.pick(pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0)), req("g0", SHARED + "q0"), NOW))
                .primary().endpointId();
        for (int i = 1; i < 40; i++) {
            String to = picked(p.pick(pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0)), req("g" + i, SHARED + "q" + i),
                    NOW)).primary().endpointId();
            assertThat(to).isEqualTo(home);
            p.completed("g" + i, NOW);
        }
        String other = home.equals("a") ? "b" : "a";
        // a new prefix is cold everywhere: the endpoint whose cache is empty costs no pollution
        PickResult.Picked r = picked(p.pick(pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0)),
                req("new", "A different system prompt entirely. ".repeat(60)), NOW));
        assertThat(r.primary().endpointId()).isEqualTo(other);
        assertThat(r.explanation().reason()).contains("pollution 0.0 ms");
        assertThat(scores(r, "osprey-ttft-scorer").get(home)).isLessThan(1.0);
    }

    @Test
    void aWarmEndpointKeepsItsPrefixUnderAQueueThatWouldMoveItWithoutReuse() {
        EndpointPicker p = picker();
        String home = picked(p.pick(pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0)), req("g0", SHARED + "q0"), NOW))
                .primary().endpointId();
        String other = home.equals("a") ? "b" : "a";
        // the other endpoint holds as much cached content (another group), so its occupancy is not lower
        p.pick(pool(ep(home, 50, 0, 0), ep(other, 0, 0, 0)), req("o0", "Another shared system prompt. ".repeat(80)),
                NOW);
        for (int i = 1; i < 200; i++) {
            p.pick(pool(ep(home, 0, 0, 0), ep(other, 50, 0, 0)), req("g" + i, SHARED + "q" + i), NOW);
            p.pick(pool(ep(home, 50, 0, 0), ep(other, 0, 0, 0)),
                    req("o" + i, "Another shared system prompt. ".repeat(80) + i), NOW);
        }
        // home has a queue of 3 requests the cold endpoint does not have; the group's prompt is ~580 tokens
        PickResult.Picked r = picked(p.pick(pool(ep(home, 3, 0, 0), ep(other, 0, 0, 0)),
                req("x", SHARED + "q-x"), NOW));
        assertThat(r.primary().endpointId()).isEqualTo(home);
    }

    /** Routes {@code n} 100-token requests {@code old-0 ...} to endpoint a, 300 ms before NOW. */
    private static void dispatchToA(EndpointPicker p, int n) {
        PoolSnapshot before = pool(ep("a", 0, 0, 0), ep("b", 0, 0, 0));
        for (int i = 0; i < n; i++) {
            p.pick(before, SchedulingRequest.builder("old-" + i, "m").promptTokens(100)
                    .filter(e -> e.endpointId().equals("a")).build(), NOW - 300);
        }
    }

    /** The pool as scraped 100 ms before NOW: a and b with these waiting and running counts. */
    private static PoolSnapshot scrapedBefore(int aWaiting, int aRunning, int bWaiting, int bRunning) {
        return pool(EndpointSnapshot.of("a", "10.0.0.1", 8000, aWaiting, aRunning, 0, NOW - 100),
                EndpointSnapshot.of("b", "10.0.0.2", 8000, bWaiting, bRunning, 0, NOW - 100));
    }

    /** Reports {@code old-0 ... old-(n-1)} finished at {@code atMs}. */
    private static void completeOld(EndpointPicker p, int n, long atMs) {
        for (int i = 0; i < n; i++) {
            p.completed("old-" + i, atMs);
        }
    }

    @Test
    void requestsThisEppSawFinishSinceTheScrapeLetTheScrapedQueueIn() {
        EndpointPicker p = picker();
        dispatchToA(p, 7);
        // scraped 100 ms ago: a has those 7 (3 waiting, 4 running), b 5 of some other client's (1 waiting)
        PoolSnapshot scraped = scrapedBefore(3, 4, 1, 4);
        completeOld(p, 3, NOW - 50); // finished after the scrape: a's 3 waiting have been let in since
        PickResult.Picked r = picked(p.pick(scraped, SchedulingRequest.builder("r", "m").promptTokens(100).build(),
                NOW));
        assertThat(r.primary().endpointId()).isEqualTo("a");
        assertThat(r.explanation().reason()).contains("-3 finished since scrape");
    }

    @Test
    void aCompletionTheScrapeAlreadyLeftOutIsNotTakenOffAgain() {
        EndpointPicker p = picker();
        dispatchToA(p, 4);
        // 3 of the 4 had left the server when it was scraped (1 waiting), but their responses reach the EPP after
        PoolSnapshot scraped = scrapedBefore(1, 0, 0, 0);
        completeOld(p, 3, NOW - 60);
        PickResult r = p.pick(scraped, SchedulingRequest.builder("r", "m").promptTokens(100).build(), NOW);
        // a still has its one waiting request: (mean + 100) / 10 ms against b's 10 ms
        double mean = 100 + 412 * Math.pow(1 - 1.0 / 256, 4);
        assertThat(scores(r, "osprey-ttft-scorer").get("a")).isCloseTo(11.0 / ((mean + 100) / 10 + 1),
                within(1e-6));
    }
}
