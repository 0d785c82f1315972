package dev.osprey.aggregator.topology;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The published form of one pool's prefix index: the JSON value of the compacted {@code <prefix>prefix-index}
 * topic, keyed by pool id. {@code blocksByEndpoint} maps each endpoint ({@code ip:port}) to its remembered block
 * hashes, most recently routed first, packed as big-endian 8-byte longs and Base64-encoded (about 11 characters
 * per block). A pool whose blocks all expired is published once with an empty map.
 *
 * @param producedAtMs wall clock at production
 * @param ttlMs how long a block is remembered after it was last routed
 */
public record PrefixIndexSnapshot(String poolId, long producedAtMs, long ttlMs, Map<String, String> blocksByEndpoint) {

    public PrefixIndexSnapshot {
        Objects.requireNonNull(poolId, "poolId");
        blocksByEndpoint = Map.copyOf(blocksByEndpoint);
    }

    /** The snapshot of {@code byEndpoint} as {@link PrefixIndex#read} returns it. */
    public static PrefixIndexSnapshot of(String poolId, long producedAtMs, long ttlMs,
            Map<String, List<PrefixIndex.Block>> byEndpoint) {
        Map<String, String> packed = new TreeMap<>();
        byEndpoint.forEach((endpoint, blocks) -> {
            ByteBuffer buffer = ByteBuffer.allocate(blocks.size() * Long.BYTES);
            blocks.forEach(b -> buffer.putLong(b.hash()));
            packed.put(endpoint, Base64.getEncoder().encodeToString(buffer.array()));
        });
        return new PrefixIndexSnapshot(poolId, producedAtMs, ttlMs, packed);
    }

    /** The block hashes of {@code endpoint}, most recently routed first; empty when it has none. */
    public long[] blocks(String endpoint) {
        String packed = blocksByEndpoint.get(endpoint);
        if (packed == null) {
            return new long[0];
        }
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(packed));
        long[] hashes = new long[buffer.remaining() / Long.BYTES];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = buffer.getLong();
        }
        return hashes;
    }
}
