package dev.osprey.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.kafka.AvroSerde;
import dev.osprey.schemas.registry.InMemorySchemaRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    static Stream<SpecificRecord> records() {
        return Stream.of(SampleRecords.endpointMetrics(), SampleRecords.endpointMembership(),
                SampleRecords.poolState(), SampleRecords.routingDecision(), SampleRecords.requestOutcome());
    }

    @ParameterizedTest
    @MethodSource("records")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void roundTripsEveryRecordInConfluentWireFormat(SpecificRecord record) {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        AvroSerde serde = AvroSerde.forValues(registry, record.getClass());

        byte[] bytes = serde.serialize("topic-a", record);

        assertThat(bytes[0]).isZero();
        int id = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
        assertThat(registry.versions("topic-a-value")).containsExactly(id);
        assertThat(serde.deserialize("topic-a", bytes)).isEqualTo(record);
    }

    @Test
    void tombstonesStayNull() {
        AvroSerde<PoolState> serde = AvroSerde.forValues(new InMemorySchemaRegistry(), PoolState.class);
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @Test
    void rejectsBytesThatAreNotInTheWireFormat() {
        AvroSerde<EndpointMetrics> serde = AvroSerde.forValues(new InMemorySchemaRegistry(), EndpointMetrics.class);
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {'g', 'a', 'r', 'b', 'a', 'g', 'e'}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("wire format");
    }

    @Test
    void rejectsAnUnknownSchemaIdWithTheId() {
        AvroSerde<EndpointMetrics> serde = AvroSerde.forValues(new InMemorySchemaRegistry(), EndpointMetrics.class);
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {0, 0, 0, 0, 77, 1, 2}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("schema id 77");
    }

    @Test
    void rejectsATruncatedPayload() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        AvroSerde<EndpointMetrics> serde = AvroSerde.forValues(registry, EndpointMetrics.class);
        byte[] bytes = serde.serialize("t", SampleRecords.endpointMetrics());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> serde.deserialize("t", truncated)).isInstanceOf(SerializationException.class);
    }
}
