package dev.osprey.epp.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies successive snapshots of one pool's shared prefix index to a {@link SharedPrefixSink}, incrementally:
 * a snapshot lists each endpoint's blocks most recently routed first, so only the blocks ahead of the newest block
 * merged last time are new (or newly refreshed) and are handed on. Endpoints are matched by {@code ip:port} to the
 * current pool snapshot; blocks of endpoints it does not hold are skipped (and tried again with the next
 * snapshot). Used by one thread.
 */
final class SharedPrefixMerger {

    private final SharedPrefixSink sink;
    private final Map<String, Long> newestMerged = new HashMap<>();

    SharedPrefixMerger(SharedPrefixSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Merges what is new in {@code blocksByHostPort} against the endpoints of {@code pool}.
     *
     * @return the number of blocks handed to the sink
     */
    int merge(Map<String, long[]> blocksByHostPort, PoolSnapshot pool) {
        Map<String, String> idsByHostPort = idsByHostPort(pool.endpoints());
        newestMerged.keySet().retainAll(blocksByHostPort.keySet());
        int merged = 0;
        for (Map.Entry<String, long[]> e : blocksByHostPort.entrySet()) {
            String endpointId = idsByHostPort.get(e.getKey());
            long[] hashes = e.getValue();
            if (endpointId == null || hashes.length == 0) {
                continue;
            }
            int fresh = freshCount(hashes, newestMerged.get(e.getKey()));
            if (fresh > 0) {
                sink.merge(endpointId, hashes, fresh);
                merged += fresh;
            }
            newestMerged.put(e.getKey(), hashes[0]);
        }
        return merged;
    }

    /** Blocks ahead of {@code previousNewest} (all of them when it is absent or no longer listed). */
    private static int freshCount(long[] newestFirst, Long previousNewest) {
        if (previousNewest == null) {
            return newestFirst.length;
        }
        for (int i = 0; i < newestFirst.length; i++) {
            if (newestFirst[i] == previousNewest) {
                return i;
            }
        }
        return newestFirst.length;
    }

    private static Map<String, String> idsByHostPort(List<EndpointSnapshot> endpoints) {
        Map<String, String> ids = new HashMap<>(endpoints.size() * 2);
        for (EndpointSnapshot e : endpoints) {
            ids.put(e.hostPort(), e.endpointId());
        }
        return ids;
    }
}
