package dev.osprey.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportComparisonsTest {

    private static VariantResult variant(String strategy, int delay, double ttftP90, double ttftP99, int shedStd) {
        return variant(strategy, delay, 1, ttftP90, ttftP99, shedStd);
    }

    private static VariantResult variant(String strategy, int delay, int replicas, double ttftP90, double ttftP99,
            int shedStd) {
        StageResult s = new StageResult(0, 10, 30, 300, 300 - shedStd,
                Map.of("critical", 0, "standard", shedStd, "sheddable", 0), 0, 100, ttftP90, ttftP99, 20, 25, 1000,
                2000, 3000, 500, 0.5, 9, Map.of(), 0.25);
        return new VariantResult(strategy + "@" + delay + "ms@" + replicas + "x", strategy, delay, replicas,
                List.of(s), 1);
    }

    @Test
    void bestUpstreamSkipsOspreyOwnAndStrategiesThatShedStandardWork() {
        String md = ReportComparisons.markdown(List.of(
                variant("osprey-default", 0, 400, 800, 0),
                variant("epp-least-load", 0, 100, 100, 0),
                variant("legacy-decision-tree", 0, 50, 60, 7),
                variant("upstream-default", 0, 500, 1000, 0),
                variant("round-robin", 0, 800, 900, 0)));
        assertThat(md).contains("| 0 ms | 0 | 10 | 400 | 500 (upstream-default) | 0.80 | 800 | 900 (round-robin) "
                + "| 0.89 |");
    }

    @Test
    void stalenessComparesLargestDelayWithSmallest() {
        String md = ReportComparisons.markdown(List.of(
                variant("upstream-default", 0, 400, 300, 0),
                variant("upstream-default", 50, 400, 400, 0),
                variant("upstream-default", 100, 400, 450, 0)));
        assertThat(md).contains("TTFT p99 at 100 ms delay / at 0 ms")
                .contains("| upstream-default | 0 | 10 | 300 | 450 | 1.50 |");
    }

    @Test
    void activeActiveComparesEachReplicaCountWithTheFewest() {
        String md = ReportComparisons.markdown(List.of(
                variant("osprey-default", 0, 1, 400, 800, 0),
                variant("upstream-default", 0, 1, 500, 900, 0),
                variant("osprey-default", 0, 2, 440, 800, 0),
                variant("upstream-default", 0, 2, 1000, 900, 0),
                variant("osprey-default", 0, 4, 600, 800, 0),
                variant("upstream-default", 0, 4, 2000, 900, 0)));
        assertThat(md).contains("TTFT p90 with N replicas / with 1")
                .contains("| osprey-default | 0 | 10 | 400 | 440 | 600 | 1.10 | 1.50 |")
                .contains("| upstream-default | 0 | 10 | 500 | 1000 | 2000 | 2.00 | 4.00 |")
                .contains("| 0 ms, 2 EPP | 0 | 10 | 440 | 1000 (upstream-default) | 0.44 |")
                .doesNotContain("Staleness");
    }
}
