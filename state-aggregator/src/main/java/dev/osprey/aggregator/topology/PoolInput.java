package dev.osprey.aggregator.topology;

/**
 * What the pool-load processor consumes: endpoint samples from the endpoint-metrics topic and in-flight changes
 * forwarded by the in-flight processor of the same task.
 */
public sealed interface PoolInput permits EncodedSample, InflightChange {
}
