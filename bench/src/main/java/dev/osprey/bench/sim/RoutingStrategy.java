package dev.osprey.bench.sim;

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

    /** A strategy's answer. */
    sealed interface Decision {

        /** Send the request to this endpoint ({@code EndpointSnapshot.endpointId()}). */
        record Route(String endpointId) implements Decision {
        }

        /** Drop the request (the EPP would answer 429/503). */
        record Shed(String reason) implements Decision {
        }
    }
}
