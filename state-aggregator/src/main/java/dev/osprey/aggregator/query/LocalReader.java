package dev.osprey.aggregator.query;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.osprey.aggregator.topology.AdapterResidency;
import dev.osprey.aggregator.topology.AggregatorTopology;
import dev.osprey.aggregator.topology.EncodedSample;
import dev.osprey.aggregator.topology.InflightCounts;
import dev.osprey.aggregator.topology.PoolStates;
import dev.osprey.aggregator.topology.PrefixIndex;
import dev.osprey.aggregator.topology.StoreKeys;
import dev.osprey.schemas.avro.PoolState;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers a {@link QueryRoute} from this instance's own stores (interactive queries on one partition). The pool
 * state is computed at query time: health and metrics age are as of now, the version is the last published one.
 * Thread-safe.
 */
final class LocalReader {

    private final KafkaStreams streams;
    private final String cluster;
    private final long stalenessMs;
    private final long prefixTtlMs;
    private final int prefixMaxBlocks;
    private final ObjectMapper mapper = new ObjectMapper();

    LocalReader(KafkaStreams streams, String cluster, long stalenessMs, long prefixTtlMs, int prefixMaxBlocks) {
        this.streams = streams;
        this.prefixTtlMs = prefixTtlMs;
        this.prefixMaxBlocks = prefixMaxBlocks;
        this.cluster = cluster;
        this.stalenessMs = stalenessMs;
    }

    /**
     * The JSON answer, or empty when the pool, endpoint or adapter is not known.
     *
     * @throws InvalidStateStoreException when the partition's stores are not queryable now (rebalance, restore,
     *     migrated); asking again may succeed
     */
    Optional<JsonNode> read(QueryRoute route, int partition, long nowMs) {
        if (route instanceof QueryRoute.Adapter adapter) {
            ReadOnlyKeyValueStore<String, AdapterResidency> residency =
                    store(AggregatorTopology.ADAPTER_RESIDENCY_STORE, partition);
            return Optional.ofNullable(residency.get(StoreKeys.endpointKey(adapter.poolId(), adapter.adapter())))
                    .map(mapper::<JsonNode>valueToTree);
        }
        if (route instanceof QueryRoute.Prefixes prefixes) {
            return Optional.of(prefixes(prefixes, partition, nowMs));
        }
        Optional<PoolState> pool = PoolStates.current(cluster, route.poolId(), nowMs, stalenessMs,
                this.<EncodedSample>store(AggregatorTopology.POOL_LOAD_STORE, partition),
                this.<Long>store(AggregatorTopology.POOL_VERSION_STORE, partition),
                this.<InflightCounts>store(AggregatorTopology.INFLIGHT_STORE, partition));
        if (route instanceof QueryRoute.Endpoint endpoint) {
            return pool.flatMap(state -> state.getEndpoints().stream()
                    .filter(e -> e.getEndpointId().equals(endpoint.endpointId())).findFirst())
                    .map(AvroJson::toJson);
        }
        return pool.map(AvroJson::toJson);
    }

    /**
     * The pool's prefix index: with hashes, {@code {poolId, requestedBlocks, endpoints: [{endpoint, matchedBlocks,
     * blocks}]}} best match first; without, {@code {poolId, endpoints: {ip:port: [hash, ...]}}} newest first. An
     * unknown pool has no endpoints.
     */
    private JsonNode prefixes(QueryRoute.Prefixes route, int partition, long nowMs) {
        Map<String, List<PrefixIndex.Block>> byEndpoint = PrefixIndex.read(
                this.<Long>store(AggregatorTopology.PREFIX_INDEX_STORE, partition), route.poolId(), nowMs,
                prefixTtlMs, prefixMaxBlocks);
        ObjectNode answer = mapper.createObjectNode().put("poolId", route.poolId());
        if (route.hashes().isEmpty()) {
            ObjectNode endpoints = answer.putObject("endpoints");
            byEndpoint.forEach((endpoint, blocks) -> {
                ArrayNode hashes = endpoints.putArray(endpoint);
                blocks.forEach(b -> hashes.add(b.hash()));
            });
        } else {
            answer.put("requestedBlocks", route.hashes().size());
            answer.set("endpoints", mapper.valueToTree(PrefixIndex.match(byEndpoint, route.hashes())));
        }
        return answer;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition));
    }
}
