package dev.osprey.aggregator.topology;

import java.util.Map;
import java.util.Objects;

/**
 * The new in-flight counts of one endpoint, forwarded within a task (never serialized) from the in-flight processor
 * to the pool-load processor; the record key is the pool id.
 *
 * @param hostPort the endpoint as routing decisions name it ({@code ip:port}, IPv6 in brackets)
 * @param byReplica requests in flight per EPP replica; empty when none are left
 */
public record InflightChange(String hostPort, Map<String, Integer> byReplica) implements PoolInput {

    public InflightChange {
        Objects.requireNonNull(hostPort, "hostPort");
        byReplica = Map.copyOf(byReplica);
    }
}
