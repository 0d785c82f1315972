package dev.osprey.epp.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.osprey.epp.scheduling.prefix.PrefixHasher;
import dev.osprey.epp.scheduling.prefix.PrefixIndex;
import dev.osprey.epp.state.EndpointSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatchStatsTest {

    @Test
    void startsFromThePriorAndMovesOneWindowthTowardEachSample() {
        DispatchStats s = new DispatchStats(512);
        assertThat(s.reuse()).isZero();
        assertThat(s.meanUncachedTokens()).isEqualTo(512);
        s.observe(1.0, 0);
        assertThat(s.reuse()).isCloseTo(1.0 / DispatchStats.WINDOW, within(1e-12));
        assertThat(s.meanUncachedTokens()).isCloseTo(512 - 512.0 / DispatchStats.WINDOW, within(1e-9));
    }

    @Test
    void convergesToASteadyTrafficMixAndClampsBadSamples() {
        DispatchStats s = new DispatchStats(512);
        for (int i = 0; i < 20 * DispatchStats.WINDOW; i++) {
            s.observe(i % 2 == 0 ? 0.8 : 7.0, 100); // 7.0 is clamped to 1
        }
        assertThat(s.reuse()).isCloseTo(0.9, within(0.01));
        assertThat(s.meanUncachedTokens()).isCloseTo(100, within(0.5));
        s.observe(-1, -50);
        assertThat(s.reuse()).isGreaterThan(0.89);
        assertThat(s.meanUncachedTokens()).isLessThan(100).isGreaterThan(99);
    }

    @Test
    void rejectsANegativePrior() {
        assertThatThrownBy(() -> new DispatchStats(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DispatchStats(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void occupancyIsBlocksHeldOverThePoolMean() {
        PrefixIndex index = new PrefixIndex(new PrefixHasher(16, 256), 1000);
        index.add("a", new long[] {1, 2, 3}, 3);
        index.add("b", new long[] {1}, 1);
        List<EndpointSnapshot> eps = List.of(ep("a"), ep("b"), ep("c"));
        // 3, 1, 0 blocks; mean 4/3
        assertThat(CacheOccupancy.compute(index, eps)).containsExactly(2.25, 0.75, 0.0);
        assertThat(CacheOccupancy.compute(new PrefixIndex(new PrefixHasher(16, 256), 10), eps))
                .containsExactly(0.0, 0.0, 0.0);
        assertThat(CacheOccupancy.compute(index, List.of())).isEmpty();
    }

    @Test
    void estimatorRejectsANegativePollutionWeight() {
        assertThatThrownBy(() -> new TtftEstimator(512, 10, 0.25, 20, 250, 200, 25, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static EndpointSnapshot ep(String id) {
        return EndpointSnapshot.of(id, "10.0.0.1", 8000, 0, 0, 0, 0);
    }
}
