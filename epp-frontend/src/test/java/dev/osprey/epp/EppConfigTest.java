package dev.osprey.epp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osprey.epp.config.ConfigDefinition;
import dev.osprey.epp.request.UnknownModelPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EppConfigTest {

    @Test
    void defaultsMatchTheDesign() {
        EppConfig c = EppConfig.defaults("localhost:9092", "ns", "pool");
        assertThat(c.grpcPort()).isEqualTo(9002);
        assertThat(c.healthPort()).isEqualTo(9003);
        assertThat(c.metricsPort()).isEqualTo(9090);
        assertThat(c.cluster()).isEqualTo("local");
        assertThat(c.replicaId()).isEqualTo("epp-0");
        assertThat(c.schemaRegistryUrl()).isEqualTo("mock://osprey");
        assertThat(c.topicPrefix()).isEqualTo("osprey.");
        assertThat(c.maxRequestBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(c.poolId()).isEqualTo("local/ns/pool");
        assertThat(c.unknownModelPolicy()).isEqualTo(UnknownModelPolicy.PASS_THROUGH);
    }

    @Test
    void unknownKeyFailsNamingIt() {
        assertThatThrownBy(() -> EppConfig.fromMap(Map.of("osprey.epp.kafka.bootstrap-servers", "x",
                "osprey.epp.pool.namespace", "n", "osprey.epp.pool.name", "p", "osprey.epp.grpcport", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("osprey.epp.grpcport");
    }

    @Test
    void badAndMissingValuesFailNamingTheKey() {
        EppConfig c = EppConfig.defaults("localhost:9092", "ns", "pool");
        assertThatThrownBy(() -> c.withGrpcPort(70000)).hasMessageContaining("osprey.epp.grpc-port");
        assertThatThrownBy(() -> c.withMetricsPort(-2)).hasMessageContaining("osprey.epp.metrics-port");
        assertThatThrownBy(() -> c.with(EppConfig.UNKNOWN_MODEL, "maybe")).hasMessageContaining("unknown-model");
        assertThatThrownBy(() -> EppConfig.fromMap(Map.of("osprey.epp.pool.namespace", "n",
                "osprey.epp.pool.name", "p"))).hasMessageContaining("osprey.epp.kafka.bootstrap-servers");
    }

    @Test
    void withMethodsRoundTrip() {
        EppConfig c = EppConfig.defaults("b:1", "ns", "pool").withGrpcPort(0).withHealthPort(0).withMetricsPort(-1)
                .withShutdownGrace(Duration.ofMillis(10)).withUnknownModelPolicy(UnknownModelPolicy.REJECT);
        assertThat(EppConfig.fromMap(c.toMap())).isEqualTo(c);
        assertThat(c.metricsPort()).isEqualTo(-1);
    }

    @Test
    void everyKeyIsDocumented() {
        assertThat(EppConfig.definitions()).hasSameSizeAs(EppConfig.KEYS)
                .allSatisfy(d -> {
                    assertThat(d.key()).startsWith("osprey.epp.");
                    assertThat(d.doc()).isNotBlank();
                })
                .extracting(ConfigDefinition::key).doesNotHaveDuplicates();
    }
}
