package dev.osprey.aggregator.topology;

/**
 * Value of the {@value AggregatorTopology#INFLIGHT_REQUESTS_STORE} store (key {@code poolId|requestId}): a routed
 * request awaiting its outcome, or, when {@code finished}, an outcome that arrived before its decision (so the late
 * decision is not counted). Either expires after the in-flight timeout, counted from {@code sinceMs}.
 *
 * @param hostPort the endpoint the request was routed to ({@code ip:port}); empty for an early outcome
 */
public record OpenRequest(String hostPort, String replica, long sinceMs, boolean finished) {
}
