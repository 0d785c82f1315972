package dev.osprey.aggregator.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The key scheme and reads of the {@value AggregatorTopology#PREFIX_INDEX_STORE} store: one entry per pool,
 * endpoint and prompt-prefix block hash, key {@code poolId|ip:port|hash} (hash as 16 hex digits), value the epoch
 * millis the block was last routed to the endpoint. A prefix scan over {@code poolId|} yields one pool grouped by
 * endpoint.
 */
public final class PrefixIndex {

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PrefixIndex() {
    }

    /** One remembered block: its hash and when it was last routed to the endpoint. */
    public record Block(long hash, long lastSeenMs) {
    }

    /** How well one endpoint's remembered blocks match a request's blocks. */
    public record Match(String endpoint, int matchedBlocks, int blocks) {
    }

    /** The store key of {@code hash} routed to {@code hostPort} in {@code poolId}. */
    static String key(String poolId, String hostPort, long hash) {
        return StoreKeys.endpointKey(poolId, hostPort) + StoreKeys.SEPARATOR + hex16(hash);
    }

    /** {@code hash} as 16 lower-case hex digits ({@code %016x}, without the formatter's cost). */
    static String hex16(long hash) {
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (hash & 0xF)];
            hash >>>= 4;
        }
        return new String(out);
    }

    /** The endpoint ({@code ip:port}) of a key built by {@link #key}. */
    static String endpointOf(String key) {
        int first = key.indexOf(StoreKeys.SEPARATOR);
        int last = key.lastIndexOf(StoreKeys.SEPARATOR);
        return key.substring(first + 1, last);
    }

    /** The block hash of a key built by {@link #key}. */
    static long hashOf(String key) {
        return Long.parseUnsignedLong(key.substring(key.lastIndexOf(StoreKeys.SEPARATOR) + 1), 16);
    }

    /**
     * The blocks of {@code poolId} routed within {@code ttlMs} of {@code nowMs}, per endpoint ({@code ip:port},
     * sorted), most recently routed first, at most {@code maxPerEndpoint} each.
     */
    public static Map<String, List<Block>> read(ReadOnlyKeyValueStore<String, Long> store, String poolId, long nowMs,
            long ttlMs, int maxPerEndpoint) {
        Map<String, List<Block>> byEndpoint = new TreeMap<>();
        try (KeyValueIterator<String, Long> entries = store.prefixScan(StoreKeys.poolPrefix(poolId),
                PREFIX_SERIALIZER)) {
            while (entries.hasNext()) {
                KeyValue<String, Long> entry = entries.next();
                if (nowMs - entry.value <= ttlMs) {
                    byEndpoint.computeIfAbsent(endpointOf(entry.key), e -> new ArrayList<>())
                            .add(new Block(hashOf(entry.key), entry.value));
                }
            }
        }
        byEndpoint.replaceAll((endpoint, blocks) -> newestFirst(blocks, maxPerEndpoint));
        return byEndpoint;
    }

    /**
     * For every endpoint, the number of leading blocks of {@code requestHashes} (in request order) it holds, best
     * first (ties by endpoint). This is how a prefix-cache scorer sees an endpoint: only an unbroken prefix of
     * blocks can be reused.
     */
    public static List<Match> match(Map<String, List<Block>> byEndpoint, List<Long> requestHashes) {
        List<Match> matches = new ArrayList<>();
        byEndpoint.forEach((endpoint, blocks) -> {
            Set<Long> held = new HashSet<>();
            blocks.forEach(b -> held.add(b.hash()));
            int matched = 0;
            while (matched < requestHashes.size() && held.contains(requestHashes.get(matched))) {
                matched++;
            }
            matches.add(new Match(endpoint, matched, blocks.size()));
        });
        matches.sort(Comparator.comparingInt(Match::matchedBlocks).reversed().thenComparing(Match::endpoint));
        return matches;
    }

    private static List<Block> newestFirst(List<Block> blocks, int max) {
        blocks.sort(Comparator.comparingLong(Block::lastSeenMs).reversed().thenComparingLong(Block::hash));
        return blocks.size() > max ? new ArrayList<>(blocks.subList(0, max)) : blocks;
    }
}
