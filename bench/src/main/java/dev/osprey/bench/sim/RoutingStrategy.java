package dev.osprey.bench.sim;

import dev.osprey.epp.scheduling.BlockHashes;
import dev.osprey.epp.state.PoolSnapshot;

/**
 * A picker under test. The simulation calls it once per arriving request, on the simulation thread, with the pool
 * as the metrics pipeline last delivered it (scrape plus pipeline delay) and the virtual wall-clock time. One
 * instance serves one run; it may keep state (counters, caches). Adapters for the EPP's real scheduler code
 * implement this too.
 */
public interface RoutingStrategy {

    /** Chooses an endpoint of {@code view} for {@code request}, or sheds it. */
    Decision pick(SimRequest request, PoolSnapshot view, long nowMs);

    /** The request routed to {@code endpointId} finished (or was refused); for in-flight bookkeeping. */
    default void onFinished(SimRequest request, String endpointId) {
    }

    /**
     * Whether this picker runs as Osprey's EPP does with several replicas: it sees the other replicas' requests in
     * flight ({@code EndpointSnapshot.peerInflight}) and merges the prefixes they routed
     * ({@link #mergeSharedPrefixes}). Upstream's pickers keep everything per replica.
     */
    default boolean sharesState() {
        return false;
    }

    /** Prefix blocks another replica routed to {@code endpointId}, most recent first (shared prefix index). */
    default void mergeSharedPrefixes(String endpointId, long[] hashesNewestFirst, int n) {
    }

    /** A strategy's answer. */
    sealed interface Decision {

        /**
         * Send the request to this endpoint ({@code EndpointSnapshot.endpointId()}).
         *
         * @param prefixHashes the request's prefix block hashes in prompt order, as the picker recorded them against
         *     the endpoint (empty when it tracks none); what a decision event would carry to the shared index
         */
        record Route(String endpointId, BlockHashes prefixHashes) implements Decision {

            /** A route without prefix hashes. */
            public Route(String endpointId) {
                this(endpointId, BlockHashes.NONE);
            }
        }

        /** Drop the request (the EPP would answer 429/503). */
        record Shed(String reason) implements Decision {
        }
    }
}
