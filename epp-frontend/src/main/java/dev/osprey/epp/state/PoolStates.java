package dev.osprey.epp.state;

import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.PoolState;
import java.util.ArrayList;
import java.util.List;

/** Maps the Avro {@link PoolState} record into the Kafka-free {@link PoolSnapshot}. */
public final class PoolStates {

    private PoolStates() {
    }

    /** The snapshot for {@code state}; never null. */
    public static PoolSnapshot toSnapshot(PoolState state) {
        List<EndpointSnapshot> endpoints = new ArrayList<>(state.getEndpoints().size());
        for (EndpointState e : state.getEndpoints()) {
            endpoints.add(new EndpointSnapshot(e.getEndpointId(), e.getAddress(), e.getPort(),
                    e.getWaitingRequests(), e.getRunningRequests(), e.getKvCacheUtilization(),
                    EndpointHealth.valueOf(e.getHealth().name()), e.getScrapeTimeMs(), e.getMetricsAgeMs(),
                    e.getRunningLoraAdapters(), e.getWaitingLoraAdapters(),
                    e.getMaxLoraSlots() == null ? 0 : e.getMaxLoraSlots()));
        }
        return new PoolSnapshot(state.getPoolId(), state.getVersion(), state.getProducedAtMs(), endpoints);
    }
}
