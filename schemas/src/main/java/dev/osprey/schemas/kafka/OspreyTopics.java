package dev.osprey.schemas.kafka;

import dev.osprey.schemas.avro.EndpointMembership;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import dev.osprey.schemas.registry.SchemaRegistry;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed descriptors of Osprey's topics for one set of names and one schema registry. Keys are UTF-8 strings
 * (pool id or endpoint id); values are Avro in the Confluent wire format; dead letters carry raw bytes.
 */
public record OspreyTopics(Topic<String, EndpointMetrics> endpointMetrics,
        Topic<String, EndpointMembership> endpoints,
        Topic<String, PoolState> poolState,
        Topic<String, RoutingDecision> routingDecisions,
        Topic<String, RequestOutcome> requestOutcomes,
        Topic<byte[], byte[]> deadLetters) {

    /** Builds every descriptor with serdes bound to {@code registry}. */
    public static OspreyTopics create(TopicNames names, SchemaRegistry registry) {
        Serde<String> keys = Serdes.String();
        return new OspreyTopics(
                new Topic<>(names.endpointMetrics(), keys, AvroSerde.forValues(registry, EndpointMetrics.class)),
                new Topic<>(names.endpoints(), keys, AvroSerde.forValues(registry, EndpointMembership.class)),
                new Topic<>(names.poolState(), keys, AvroSerde.forValues(registry, PoolState.class)),
                new Topic<>(names.routingDecisions(), keys, AvroSerde.forValues(registry, RoutingDecision.class)),
                new Topic<>(names.requestOutcomes(), keys, AvroSerde.forValues(registry, RequestOutcome.class)),
                new Topic<>(names.deadLetters(), Serdes.ByteArray(), Serdes.ByteArray()));
    }
}
