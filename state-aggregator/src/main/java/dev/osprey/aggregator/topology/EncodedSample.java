package dev.osprey.aggregator.topology;

import java.util.Objects;

import dev.osprey.schemas.avro.EndpointMetrics;

/**
 * An endpoint sample together with the bytes it was decoded from (Avro in the Confluent wire format, as on the
 * endpoint-metrics topic). The {@value AggregatorTopology#POOL_LOAD_STORE} store and its changelog keep those bytes
 * as they arrived, so storing a sample never encodes it again. Immutable by contract: neither the sample nor the
 * array may be changed after construction.
 */
public final class EncodedSample implements PoolInput {

    private final EndpointMetrics metrics;
    private final byte[] wire;

    /**
     * @param metrics the decoded sample
     * @param wire the exact bytes {@code metrics} was decoded from; ownership passes to this object
     */
    public EncodedSample(EndpointMetrics metrics, byte[] wire) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.wire = Objects.requireNonNull(wire, "wire");
    }

    /** The decoded sample. */
    public EndpointMetrics metrics() {
        return metrics;
    }

    /** The wire bytes (not copied: callers must not modify them). */
    byte[] wire() {
        return wire;
    }

    @Override
    public String toString() {
        return metrics.toString();
    }
}
