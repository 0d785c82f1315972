package dev.osprey.bench.sim;

import java.util.HashMap;
import java.util.Map;

/** The picker's own in-flight counters (dispatched minus finished), maintained by the simulation. Single-threaded. */
public final class LocalInflight {

    private final Map<String, Integer> counts = new HashMap<>();

    void dispatched(String endpointId) {
        counts.merge(endpointId, 1, Integer::sum);
    }

    void finished(String endpointId) {
        counts.merge(endpointId, -1, Integer::sum);
    }

    /** Requests in flight to {@code endpointId}. */
    public int get(String endpointId) {
        return counts.getOrDefault(endpointId, 0);
    }
}
