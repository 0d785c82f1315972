package dev.osprey.aggregator.topology;

import java.util.Map;
import java.util.Objects;

import dev.osprey.schemas.avro.EndpointMetrics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link EncodedSample}: deserializing decodes with the topic's EndpointMetrics deserializer and keeps the
 * bytes; serializing returns the kept bytes unchanged. So the pool-load changelog holds the same Confluent-wire-format
 * EndpointMetrics as the input topic, without a second encoding. Decoding failures propagate unchanged (Kafka
 * Streams' deserialization exception handler sees them). Thread-safe when the delegate is.
 */
public final class EncodedSampleSerde implements Serde<EncodedSample>, Serializer<EncodedSample>,
        Deserializer<EncodedSample> {

    private final Deserializer<EndpointMetrics> decoder;

    /** @param decoder decodes EndpointMetrics in the Confluent wire format (the endpoint-metrics topic's) */
    public EncodedSampleSerde(Deserializer<EndpointMetrics> decoder) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    @Override
    public byte[] serialize(String topic, EncodedSample data) {
        return data == null ? null : data.wire();
    }

    @Override
    public EncodedSample deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        EndpointMetrics metrics = decoder.deserialize(topic, bytes);
        return metrics == null ? null : new EncodedSample(metrics, bytes);
    }

    @Override
    public Serializer<EncodedSample> serializer() {
        return this;
    }

    @Override
    public Deserializer<EncodedSample> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Built programmatically; nothing to configure.
    }

    @Override
    public void close() {
        // The decoder is owned by the topic descriptor.
    }
}
