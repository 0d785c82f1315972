package dev.osprey.epp.state;

import java.util.List;
import java.util.Objects;

/**
 * One immutable picture of a pool: what the aggregator last published for it. Swapped as a whole; never mutated.
 *
 * @param version monotonic per pool as produced by the aggregator
 * @param producedAtMs wall-clock epoch millis when the aggregator produced it
 */
public record PoolSnapshot(String poolId, long version, long producedAtMs, List<EndpointSnapshot> endpoints) {

    public PoolSnapshot {
        Objects.requireNonNull(poolId, "poolId");
        endpoints = List.copyOf(endpoints);
    }
}
