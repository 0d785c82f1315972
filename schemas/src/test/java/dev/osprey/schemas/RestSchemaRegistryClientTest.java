package dev.osprey.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;

import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.kafka.AvroSerde;
import dev.osprey.schemas.registry.CachingSchemaRegistry;
import dev.osprey.schemas.registry.InMemorySchemaRegistry;
import dev.osprey.schemas.registry.RestSchemaRegistryClient;
import dev.osprey.schemas.registry.SchemaRegistries;
import dev.osprey.schemas.registry.SchemaRegistry;
import dev.osprey.schemas.registry.SchemaRegistryException;
import dev.osprey.schemas.registry.SchemaRegistryServer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private final InMemorySchemaRegistry backing = new InMemorySchemaRegistry();
    private SchemaRegistryServer server;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() throws Exception {
        server = SchemaRegistryServer.start(backing, new InetSocketAddress("127.0.0.1", 0));
        client = new RestSchemaRegistryClient(server.url(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersFetchesAndChecksCompatibilityOverHttp() {
        Schema v1 = SchemaBuilder.record("R").fields().requiredString("a").endRecord();
        Schema bad = SchemaBuilder.record("R").fields().requiredString("a").requiredLong("c").endRecord();

        assertThat(client.isCompatible("subject-x", v1)).as("unknown subject accepts anything").isTrue();
        int id = client.register("subject-x", v1);

        assertThat(client.schemaById(id)).isEqualTo(v1);
        assertThat(backing.versions("subject-x")).containsExactly(id);
        assertThat(client.isCompatible("subject-x", bad)).isFalse();
        assertThatThrownBy(() -> client.register("subject-x", bad)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("409").matches(e -> !((SchemaRegistryException) e).retriable());
    }

    @Test
    void unknownIdIsADefiniteError() {
        assertThatThrownBy(() -> client.schemaById(999)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("404").matches(e -> !((SchemaRegistryException) e).retriable());
    }

    @Test
    void unreachableRegistryIsRetriable() {
        server.close();
        assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(SchemaRegistryException.class)
                .matches(e -> ((SchemaRegistryException) e).retriable());
    }

    @Test
    void serdeWorksThroughTheCachedRestClient() {
        SchemaRegistry cached = new CachingSchemaRegistry(client);
        AvroSerde<PoolState> writer = AvroSerde.forValues(cached, PoolState.class);
        AvroSerde<PoolState> reader = AvroSerde.forValues(SchemaRegistries.fromUrl(server.url().toString()),
                PoolState.class);

        byte[] bytes = writer.serialize("pool-state", SampleRecords.poolState());

        assertThat(reader.deserialize("pool-state", bytes)).isEqualTo(SampleRecords.poolState());
        assertThat(backing.subjects()).containsExactly("pool-state-value");
    }

    @Test
    void mockUrlsShareOneRegistryPerScopeAndBadSchemesNameTheUrl() {
        assertThat(SchemaRegistries.fromUrl("mock://scope-a")).isSameAs(SchemaRegistries.fromUrl("mock://scope-a"))
                .isNotSameAs(SchemaRegistries.fromUrl("mock://scope-b"));
        assertThatThrownBy(() -> SchemaRegistries.fromUrl("ftp://x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftp://x");
    }
}
