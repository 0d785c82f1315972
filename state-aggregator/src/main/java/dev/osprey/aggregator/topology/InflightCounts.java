package dev.osprey.aggregator.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Value of the {@value AggregatorTopology#INFLIGHT_STORE} store (key {@code poolId|ip:port}): requests routed to
 * one endpoint and not yet finished, per EPP replica. Immutable; counts are positive.
 */
public record InflightCounts(Map<String, Integer> byReplica) {

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

    public InflightCounts {
        byReplica = Map.copyOf(byReplica);
    }

    /** No requests in flight. */
    public static InflightCounts none() {
        return new InflightCounts(Map.of());
    }

    /** These counts with {@code replica}'s count changed by {@code delta}; replicas reaching zero disappear. */
    public InflightCounts plus(String replica, int delta) {
        Map<String, Integer> next = new TreeMap<>(byReplica);
        int count = next.getOrDefault(replica, 0) + delta;
        if (count > 0) {
            next.put(replica, count);
        } else {
            next.remove(replica);
        }
        return new InflightCounts(next);
    }

    /** Whether no request is in flight. */
    public boolean isEmpty() {
        return byReplica.isEmpty();
    }

    /** Every endpoint ({@code ip:port}) of {@code poolId} with requests in flight, with counts per replica. */
    public static Map<String, Map<String, Integer>> forPool(ReadOnlyKeyValueStore<String, InflightCounts> store,
            String poolId) {
        Map<String, Map<String, Integer>> byHostPort = new HashMap<>();
        try (KeyValueIterator<String, InflightCounts> entries =
                store.prefixScan(StoreKeys.poolPrefix(poolId), PREFIX_SERIALIZER)) {
            while (entries.hasNext()) {
                KeyValue<String, InflightCounts> entry = entries.next();
                byHostPort.put(StoreKeys.endpointOf(entry.key), entry.value.byReplica());
            }
        }
        return byHostPort;
    }
}
