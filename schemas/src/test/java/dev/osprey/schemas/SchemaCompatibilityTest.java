package dev.osprey.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;

import dev.osprey.schemas.avro.EndpointMembership;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import dev.osprey.schemas.registry.InMemorySchemaRegistry;
import dev.osprey.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every current schema must read data written with each released version (BACKWARD). The released versions are
 * snapshots under {@code src/test/resources/compat/}; add a new folder when a schema changes, never edit one.
 */
class SchemaCompatibilityTest {

    static Stream<Arguments> schemas() {
        return Stream.of(
                Arguments.of("EndpointMetrics", EndpointMetrics.getClassSchema()),
                Arguments.of("EndpointMembership", EndpointMembership.getClassSchema()),
                Arguments.of("PoolState", PoolState.getClassSchema()),
                Arguments.of("RoutingDecision", RoutingDecision.getClassSchema()),
                Arguments.of("RequestOutcome", RequestOutcome.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void currentSchemaReadsEveryReleasedVersion(String name, Schema current) throws IOException {
        Schema released = released("v1", name);
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(current, released);
        assertThat(result.getType()).as(result.getDescription())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void registryAcceptsAFieldAddedWithADefaultAndRefusesOneWithout() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        Schema v1 = SchemaBuilder.record("R").fields().requiredString("a").endRecord();
        Schema v2 = SchemaBuilder.record("R").fields().requiredString("a")
                .name("b").type().intType().intDefault(0).endRecord();
        Schema bad = SchemaBuilder.record("R").fields().requiredString("a").requiredLong("c").endRecord();

        int id1 = registry.register("s", v1);
        int id2 = registry.register("s", v2);

        assertThat(id2).isNotEqualTo(id1);
        assertThat(registry.register("s", v2)).isEqualTo(id2);
        assertThat(registry.isCompatible("s", bad)).isFalse();
        assertThatThrownBy(() -> registry.register("s", bad)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("BACKWARD");
    }

    private static Schema released(String version, String name) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parse(parser, version, "EndpointMetrics");
        return name.equals("EndpointMetrics") ? parser.getTypes().get("dev.osprey.schemas.avro.EndpointMetrics")
                : parse(parser, version, name);
    }

    private static Schema parse(Schema.Parser parser, String version, String name) throws IOException {
        try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream(
                "/compat/" + version + "/" + name + ".avsc")) {
            assertThat(in).as("snapshot of " + name).isNotNull();
            return parser.parse(in);
        }
    }
}
