package dev.osprey.aggregator.topology;

/**
 * Value of the {@value AggregatorTopology#POOL_STATS_REQUESTS_STORE} store (key {@code poolId|requestId}): the model
 * of a routed request, so its outcome is counted for the same model. Expires after the in-flight timeout.
 */
public record RequestModel(String model, long sinceMs) {
}
