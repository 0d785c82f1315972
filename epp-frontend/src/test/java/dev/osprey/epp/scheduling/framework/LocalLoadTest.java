package dev.osprey.epp.scheduling.framework;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link LocalLoad} counts since a scrape: dispatches, their uncached tokens, and reported completions. */
class LocalLoadTest {

    @Test
    void countsDispatchesAndCompletionsStrictlyAfterTheScrape() {
        LocalLoad load = new LocalLoad(60_000, 600_000);
        LocalLoad.EndpointLoad a = load.endpoint("a");
        load.dispatched("r1", a, 1_000, 100, 80);
        load.dispatched("r2", a, 1_010, 200, 50);
        load.dispatched("r3", a, 1_030, 300, 30);
        load.completed("r1", 1_020);
        load.completed("r2", 1_040);
        long[] out = new long[2];
        // scrape at 1 020: r3 dispatched after it, r2 finished after it (r1 finished at the scrape's millisecond)
        assertThat(a.sinceScrape(1_020, 1_050, out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(30);
        assertThat(out[1]).isEqualTo(1);
        assertThat(a.completedSince(1_000, 1_050)).isEqualTo(2);
        assertThat(a.inflight()).isEqualTo(1);
    }

    @Test
    void completionsOlderThanTheRetentionNoLongerCount() {
        LocalLoad load = new LocalLoad(1_000, 600_000);
        LocalLoad.EndpointLoad a = load.endpoint("a");
        load.dispatched("r1", a, 0, 10, 10);
        load.completed("r1", 100);
        assertThat(a.completedSince(50, 900)).isEqualTo(1);
        assertThat(a.completedSince(50, 1_200)).isZero();
    }

    @Test
    void aRequestForgottenOrDispatchedAgainIsNotACompletion() {
        LocalLoad load = new LocalLoad(60_000, 600_000);
        LocalLoad.EndpointLoad a = load.endpoint("a");
        LocalLoad.EndpointLoad b = load.endpoint("b");
        load.dispatched("r", a, 1_000, 10, 10);
        load.dispatched("r", b, 1_005, 10, 10); // same id again (a retry): it left a's in-flight count, not a's server
        load.completed("unknown", 1_006);
        assertThat(a.inflight()).isZero();
        assertThat(a.completedSince(0, 1_010)).isZero();
        assertThat(b.completedSince(0, 1_010)).isZero();
        load.completed("r", 1_008);
        assertThat(b.completedSince(0, 1_010)).isEqualTo(1);
        assertThat(b.inflight()).isZero();
    }

    @Test
    void completionsReportedOutOfOrderStillCountAfterTheScrape() {
        LocalLoad load = new LocalLoad(60_000, 600_000);
        LocalLoad.EndpointLoad a = load.endpoint("a");
        for (int i = 0; i < 40; i++) {
            load.dispatched("r" + i, a, 1_000, 10, 10);
        }
        for (int i = 0; i < 40; i++) {
            load.completed("r" + i, i % 2 == 0 ? 2_000 + i : 1_999); // a thread read its clock a moment earlier
        }
        assertThat(a.completedSince(1_500, 2_100)).isEqualTo(40);
        // a late report counts at the time of the report before it: 2 032, 2 034, 2 036, 2 038, each twice
        assertThat(a.completedSince(2_030, 2_100)).isEqualTo(8);
    }

    @Test
    void countsAndTokensSinceAnyTimeMatchABruteForceRecountAcrossRingGrowthAndRetention() {
        long retention = 500;
        LocalLoad load = new LocalLoad(retention, 600_000);
        LocalLoad.EndpointLoad a = load.endpoint("a");
        java.util.Random random = new java.util.Random(7);
        java.util.List<long[]> dispatched = new java.util.ArrayList<>(); // {time, uncached}
        java.util.List<Long> completed = new java.util.ArrayList<>();
        java.util.ArrayDeque<String> open = new java.util.ArrayDeque<>();
        long now = 1_000;
        for (int i = 0; i < 20_000; i++) {
            now += random.nextInt(3); // bursts of up to hundreds of events in the same or adjacent milliseconds
            if (i % 5_000 > 4_000) {
                now += 40; // sparse stretches, so the retention drops most of the rings
            }
            if (open.isEmpty() || random.nextBoolean()) {
                int uncached = random.nextInt(1_000);
                load.dispatched("r" + i, a, now, uncached + 10, uncached);
                dispatched.add(new long[] {now, uncached});
                open.add("r" + i);
            } else {
                load.completed(open.poll(), now);
                completed.add(now);
            }
            if (i % 97 == 0) {
                long since = now - random.nextInt(700);
                long floor = Math.max(since, now - retention - 1);
                int expectedDispatches = 0;
                long expectedTokens = 0;
                for (long[] d : dispatched) {
                    if (d[0] > floor) {
                        expectedDispatches++;
                        expectedTokens += d[1];
                    }
                }
                long expectedCompletions = completed.stream().filter(t -> t > floor).count();
                long[] out = new long[2];
                assertThat(a.sinceScrape(since, now, out)).as("dispatches after %d at %d", since, now)
                        .isEqualTo(expectedDispatches);
                assertThat(out[0]).as("uncached tokens after %d at %d", since, now).isEqualTo(expectedTokens);
                assertThat(out[1]).as("completions after %d at %d", since, now).isEqualTo(expectedCompletions);
                assertThat(a.dispatchedSince(since, now)).isEqualTo(expectedDispatches);
            }
        }
    }
}
