package dev.osprey.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.bench.sim.RoutingStrategy.Decision;
import dev.osprey.epp.scheduling.BlockHashes;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.sim.virtual.VirtualTimeSimulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedPickerStateTest {

    private static final long MS = 1_000_000L;

    /** Records what the shared index hands it. */
    private static final class Replica implements RoutingStrategy {
        private final boolean shares;
        final List<String> merged = new ArrayList<>();

        Replica(boolean shares) {
            this.shares = shares;
        }

        @Override
        public Decision pick(SimRequest request, PoolSnapshot view, long nowMs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean sharesState() {
            return shares;
        }

        @Override
        public void mergeSharedPrefixes(String endpointId, long[] hashesNewestFirst, int n) {
            StringBuilder sb = new StringBuilder(endpointId).append(':');
            for (int i = 0; i < n; i++) {
                sb.append(hashesNewestFirst[i]).append(i + 1 < n ? "," : "");
            }
            merged.add(sb.toString());
        }
    }

    private static final PoolSnapshot POOL = new PoolSnapshot("p", 1, 0, List.of(
            EndpointSnapshot.of("e0", "10.0.0.1", 8000, 0, 0, 0, 0),
            EndpointSnapshot.of("e1", "10.0.0.2", 8000, 0, 0, 0, 0)));

    private static int peers(SharedPickerState state, int replica, int endpoint) {
        return state.view(POOL, replica).endpoints().get(endpoint).peerInflight();
    }

    @Test
    void otherReplicasSeeInFlightRequestsAndRoutedPrefixesAfterTheDelay() {
        VirtualTimeSimulation sim = new VirtualTimeSimulation();
        Replica a = new Replica(true);
        Replica b = new Replica(true);
        Replica c = new Replica(true);
        SharedPickerState state = new SharedPickerState(sim, 50, List.of(a, b, c), 2);

        sim.schedule(0, () -> state.dispatched(0, 1, new Decision.Route("e1",
                BlockHashes.copyOf(new long[] {11, 12, 13}, 3))));
        sim.schedule(10 * MS, () -> state.dispatched(1, 1, new Decision.Route("e1")));
        sim.schedule(100 * MS, () -> state.finished(0, 1));
        List<int[]> seen = new ArrayList<>();
        for (long t : new long[] {49, 51, 61, 149, 151}) {
            sim.schedule(t * MS, () -> seen.add(new int[] {peers(state, 0, 1), peers(state, 1, 1),
                peers(state, 2, 1), peers(state, 2, 0)}));
        }
        sim.run();

        assertThat(seen).containsExactly(
                new int[] {0, 0, 0, 0},   // 49 ms: nothing has arrived yet
                new int[] {0, 1, 1, 0},   // 51 ms: replica 0's request, not counted by replica 0 itself
                new int[] {1, 1, 2, 0},   // 61 ms: and replica 1's
                new int[] {1, 1, 2, 0},   // 149 ms: replica 0's finish still on its way
                new int[] {1, 0, 1, 0});  // 151 ms
        assertThat(a.merged).isEmpty();
        assertThat(b.merged).containsExactly("e1:13,12,11");
        assertThat(c.merged).containsExactly("e1:13,12,11");
    }

    @Test
    void oneReplicaOrPickersThatKeepTheirOwnStateSeeThePoolUnchanged() {
        VirtualTimeSimulation sim = new VirtualTimeSimulation();
        Replica a = new Replica(false);
        Replica b = new Replica(false);
        SharedPickerState upstream = new SharedPickerState(sim, 0, List.of(a, b), 2);
        SharedPickerState single = new SharedPickerState(sim, 0, List.of(new Replica(true)), 2);

        upstream.dispatched(0, 1, new Decision.Route("e1", BlockHashes.copyOf(new long[] {1}, 1)));
        single.dispatched(0, 1, new Decision.Route("e1", BlockHashes.copyOf(new long[] {1}, 1)));

        assertThat(upstream.view(POOL, 1)).isSameAs(POOL);
        assertThat(single.view(POOL, 0)).isSameAs(POOL);
        assertThat(b.merged).isEmpty();
    }
}
