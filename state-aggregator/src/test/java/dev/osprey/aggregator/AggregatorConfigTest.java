package dev.osprey.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AggregatorConfigTest {

    @Test
    void defaultsMatchTheDocumentedDefinitions() {
        AggregatorConfig config = AggregatorConfig.defaults("localhost:9092");

        assertThat(config.applicationId()).isEqualTo("osprey-aggregator");
        assertThat(config.schemaRegistryUrl()).isEqualTo("mock://osprey");
        assertThat(config.topicNames().poolState()).isEqualTo("osprey.pool-state");
        assertThat(config.cluster()).isEqualTo("local");
        assertThat(config.emitInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.stalenessThreshold()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.numStreamThreads()).isEqualTo(1);
        assertThat(config.processingGuarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
        assertThat(config.topicLayout().partitions()).isEqualTo(3);
        assertThat(config.stateDirectory())
                .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "osprey-aggregator", "osprey-aggregator"));
        assertThat(config.queryApiEnabled()).isFalse();
        for (ConfigKey key : AggregatorConfig.definitions()) {
            assertThat(config.toMap()).containsKey(key.name());
            key.defaultValue().ifPresent(value -> assertThat(config.toMap().get(key.name())).isEqualTo(value));
            assertThat(key.doc()).isNotBlank();
        }
        assertThat(AggregatorConfig.definitions()).hasSameSizeAs(config.toMap().keySet());
    }

    @Test
    void roundTripsThroughItsMapAndDerivesTheStateDirFromTheApplicationId() {
        AggregatorConfig config = AggregatorConfig.defaults("b:1").withApplicationId("agg-2")
                .withProcessingGuarantee(ProcessingGuarantee.EXACTLY_ONCE_V2).withEmitInterval(Duration.ZERO);

        assertThat(AggregatorConfig.fromMap(config.toMap())).isEqualTo(config);
        assertThat(config.stateDirectory().getFileName().toString()).isEqualTo("agg-2");
        assertThat(config.withStateDir(Path.of("/var/lib/x")).stateDirectory()).isEqualTo(Path.of("/var/lib/x"));
    }

    @Test
    void rejectsAnUnknownKeyNamingIt() {
        assertThatThrownBy(() -> AggregatorConfig.fromMap(Map.of(AggregatorConfig.BOOTSTRAP_SERVERS, "b:1",
                "osprey.aggregator.emit.intervall.ms", "5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("osprey.aggregator.emit.intervall.ms");
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertThatThrownBy(() -> AggregatorConfig.fromMap(Map.of()))
                .hasMessageStartingWith(AggregatorConfig.BOOTSTRAP_SERVERS);
        assertThatThrownBy(() -> AggregatorConfig.defaults("b:1").with(AggregatorConfig.EMIT_INTERVAL_MS, "soon"))
                .hasMessageStartingWith(AggregatorConfig.EMIT_INTERVAL_MS);
        assertThatThrownBy(() -> AggregatorConfig.defaults("b:1").with(AggregatorConfig.PROCESSING_GUARANTEE, "exactly_once"))
                .hasMessageStartingWith(AggregatorConfig.PROCESSING_GUARANTEE).hasMessageContaining("exactly_once_v2");
        assertThatThrownBy(() -> AggregatorConfig.defaults("b:1").withNumStreamThreads(0))
                .hasMessageStartingWith(AggregatorConfig.NUM_STREAM_THREADS);
        assertThatThrownBy(() -> AggregatorConfig.defaults("b:1").withApplicationServer("no-port"))
                .hasMessageStartingWith(AggregatorConfig.APPLICATION_SERVER);
        assertThatThrownBy(() -> AggregatorConfig.defaults("b:1").withSchemaRegistryUrl("ftp://x"))
                .hasMessageStartingWith(AggregatorConfig.SCHEMA_REGISTRY_URL);
    }
}
