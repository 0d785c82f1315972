package dev.osprey.bench.sim;

import dev.osprey.epp.scheduling.BlockHashes;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.sim.virtual.VirtualTimeSimulation;
import java.util.ArrayList;
import java.util.List;

/**
 * What active-active Osprey picker replicas learn from each other through the aggregator, each fact reaching the
 * other replicas after the shared-state delay: every replica's requests in flight per endpoint (a replica sees the
 * others' sum as {@link EndpointSnapshot#peerInflight()}) and the prefix blocks each one routed (merged into the
 * others' prefix indexes, as the shared prefix index does). With one replica, or pickers that do not share state
 * ({@link RoutingStrategy#sharesState()}: upstream's keep everything per replica), views pass through unchanged and
 * nothing is recorded. Single-threaded: the simulation thread only.
 */
final class SharedPickerState {

    private final VirtualTimeSimulation sim;
    private final long delayNanos;
    private final List<RoutingStrategy> replicas;
    private final boolean sharing;
    /** [replica][endpoint] requests in flight as the other replicas know them. */
    private final int[][] published;
    private final PoolSnapshot[] viewBase;
    private final long[] viewVersion;
    private final PoolSnapshot[] view;
    private long version;

    SharedPickerState(VirtualTimeSimulation sim, long delayMs, List<RoutingStrategy> replicas, int endpoints) {
        this.sim = sim;
        this.delayNanos = delayMs * 1_000_000L;
        this.replicas = List.copyOf(replicas);
        this.sharing = replicas.size() > 1 && replicas.stream().allMatch(RoutingStrategy::sharesState);
        this.published = new int[replicas.size()][endpoints];
        this.viewBase = new PoolSnapshot[replicas.size()];
        this.viewVersion = new long[replicas.size()];
        this.view = new PoolSnapshot[replicas.size()];
    }

    /** Replica {@code replica} routed a request to endpoint {@code endpoint} ({@code route}). */
    void dispatched(int replica, int endpoint, RoutingStrategy.Decision.Route route) {
        if (!sharing) {
            return;
        }
        later(() -> published[replica][endpoint]++);
        BlockHashes hashes = route.prefixHashes();
        int n = hashes.size();
        if (n > 0) {
            long[] newestFirst = new long[n];
            for (int i = 0; i < n; i++) {
                newestFirst[i] = hashes.get(n - 1 - i);
            }
            later(() -> {
                for (int r = 0; r < replicas.size(); r++) {
                    if (r != replica) {
                        replicas.get(r).mergeSharedPrefixes(route.endpointId(), newestFirst, n);
                    }
                }
            });
        }
    }

    /** A request replica {@code replica} routed to endpoint {@code endpoint} finished. */
    void finished(int replica, int endpoint) {
        if (sharing) {
            later(() -> published[replica][endpoint]--);
        }
    }

    /** {@code base} as replica {@code replica} sees it: with the other replicas' requests in flight. */
    PoolSnapshot view(PoolSnapshot base, int replica) {
        if (!sharing) {
            return base;
        }
        if (viewBase[replica] != base || viewVersion[replica] != version) {
            List<EndpointSnapshot> endpoints = new ArrayList<>(base.endpoints().size());
            for (int i = 0; i < base.endpoints().size(); i++) {
                endpoints.add(base.endpoints().get(i).withPeerInflight(peers(replica, i)));
            }
            view[replica] = new PoolSnapshot(base.poolId(), base.version(), base.producedAtMs(), endpoints);
            viewBase[replica] = base;
            viewVersion[replica] = version;
        }
        return view[replica];
    }

    private int peers(int replica, int endpoint) {
        int sum = 0;
        for (int r = 0; r < published.length; r++) {
            if (r != replica) {
                sum += published[r][endpoint];
            }
        }
        return Math.max(0, sum);
    }

    private void later(Runnable update) {
        Runnable counted = () -> {
            update.run();
            version++;
        };
        if (delayNanos == 0) {
            counted.run();
        } else {
            sim.scheduleIn(delayNanos, counted);
        }
    }
}
