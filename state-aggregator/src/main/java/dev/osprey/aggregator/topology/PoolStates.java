package dev.osprey.aggregator.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.PoolState;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads one pool's current picture from the aggregator's stores for the query API (interactive queries); the
 * published PoolState is built from the task's in-memory view instead, with the same {@link PoolStateAssembler}. Thread-safety is that of the stores passed in.
 */
public final class PoolStates {

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

    private PoolStates() {
    }

    /** The newest sample of each endpoint of {@code poolId}, sorted by endpoint id. */
    public static List<EndpointMetrics> samples(ReadOnlyKeyValueStore<String, EncodedSample> poolLoad,
            String poolId) {
        List<EndpointMetrics> samples = new ArrayList<>();
        try (KeyValueIterator<String, EncodedSample> endpoints =
                poolLoad.prefixScan(StoreKeys.poolPrefix(poolId), PREFIX_SERIALIZER)) {
            while (endpoints.hasNext()) {
                samples.add(endpoints.next().value.metrics());
            }
        }
        return samples;
    }

    /**
     * The pool's state as of {@code nowMs} with the last published version, or empty when the pool has neither
     * endpoints nor a published version on these stores.
     */
    public static Optional<PoolState> current(String cluster, String poolId, long nowMs, long stalenessMs,
            ReadOnlyKeyValueStore<String, EncodedSample> poolLoad, ReadOnlyKeyValueStore<String, Long> versions,
            ReadOnlyKeyValueStore<String, InflightCounts> inflight) {
        List<EndpointMetrics> samples = samples(poolLoad, poolId);
        Long version = versions.get(poolId);
        if (samples.isEmpty() && version == null) {
            return Optional.empty();
        }
        return Optional.of(assemble(cluster, poolId, version == null ? 0 : version, nowMs, stalenessMs, samples,
                inflight));
    }

    static PoolState assemble(String cluster, String poolId, long version, long nowMs, long stalenessMs,
            List<EndpointMetrics> samples, ReadOnlyKeyValueStore<String, InflightCounts> inflight) {
        Map<String, Map<String, Integer>> byHostPort = InflightCounts.forPool(inflight, poolId);
        return PoolStateAssembler.assemble(cluster, poolId, version, nowMs, samples, stalenessMs,
                hostPort -> byHostPort.getOrDefault(hostPort, Map.of()));
    }
}
