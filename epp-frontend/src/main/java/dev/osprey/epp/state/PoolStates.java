package dev.osprey.epp.state;

import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.PoolState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps the Avro {@link PoolState} record into the Kafka-free {@link PoolSnapshot}. */
public final class PoolStates {

    private PoolStates() {
    }

    /**
     * The snapshot for {@code state} as EPP replica {@code ownReplicaId} sees it: each endpoint's in-flight counts
     * of every other replica are summed into {@link EndpointSnapshot#peerInflight()}; its own count is left out
     * (its local counters are fresher). Never null.
     */
    public static PoolSnapshot toSnapshot(PoolState state, String ownReplicaId) {
        List<EndpointSnapshot> endpoints = new ArrayList<>(state.getEndpoints().size());
        for (EndpointState e : state.getEndpoints()) {
            endpoints.add(new EndpointSnapshot(e.getEndpointId(), e.getAddress(), e.getPort(),
                    e.getWaitingRequests(), e.getRunningRequests(), e.getKvCacheUtilization(),
                    EndpointHealth.valueOf(e.getHealth().name()), e.getScrapeTimeMs(), e.getMetricsAgeMs(),
                    e.getRunningLoraAdapters(), e.getWaitingLoraAdapters(),
                    e.getMaxLoraSlots() == null ? 0 : e.getMaxLoraSlots(),
                    peerInflight(e.getInflightByReplica(), ownReplicaId)));
        }
        return new PoolSnapshot(state.getPoolId(), state.getVersion(), state.getProducedAtMs(), endpoints);
    }

    private static int peerInflight(Map<? extends CharSequence, Integer> byReplica, String ownReplicaId) {
        long sum = 0;
        for (Map.Entry<? extends CharSequence, Integer> e : byReplica.entrySet()) {
            if (e.getValue() != null && e.getValue() > 0 && !ownReplicaId.contentEquals(e.getKey())) {
                sum += e.getValue();
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, sum);
    }
}
