package dev.osprey.aggregator.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.ConfigKey;
import dev.osprey.schemas.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationSourcesTest {

    @Test
    void environmentVariablesOverrideTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("aggregator.properties"), """
                osprey.aggregator.bootstrap.servers=kafka-a:9092
                osprey.aggregator.commit.interval.ms=250
                osprey.aggregator.cluster=east
                """);

        AggregatorConfig config = ConfigurationSources.load(Optional.of(file), Map.of(
                "OSPREY_AGGREGATOR_COMMIT_INTERVAL_MS", "750", "OSPREY_AGGREGATOR_APPLICATION_SERVER", "10.0.0.7:8083",
                "HOME", "/root"));

        assertThat(config.bootstrapServers()).isEqualTo("kafka-a:9092");
        assertThat(config.cluster()).isEqualTo("east");
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.applicationServer()).isEqualTo("10.0.0.7:8083");
    }

    @Test
    void everyKeyHasAVariable() {
        for (ConfigKey key : AggregatorConfig.definitions()) {
            String variable = ConfigSources.variable(key.name());
            assertThat(ConfigurationSources.fromEnvironment(Map.of(variable, "x"))).containsEntry(key.name(), "x");
        }
    }

    @Test
    void aVariableThatNamesNoKeyFailsNamingIt() {
        assertThatThrownBy(() -> ConfigurationSources.load(Optional.empty(), Map.of(
                "OSPREY_AGGREGATOR_BOOTSTRAP_SERVERS", "k:9092", "OSPREY_AGGREGATOR_COMIT_INTERVAL_MS", "5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("OSPREY_AGGREGATOR_COMIT_INTERVAL_MS");
    }

    @Test
    void anInvalidValueFailsNamingTheKey() {
        assertThatThrownBy(() -> ConfigurationSources.load(Optional.empty(), Map.of(
                "OSPREY_AGGREGATOR_BOOTSTRAP_SERVERS", "k:9092", "OSPREY_AGGREGATOR_EMIT_INTERVAL_MS", "soon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(AggregatorConfig.EMIT_INTERVAL_MS);
        assertThatThrownBy(() -> ConfigurationSources.load(Optional.empty(), Map.of()))
                .hasMessageStartingWith(AggregatorConfig.BOOTSTRAP_SERVERS);
    }

    @Test
    void anUnreadableFileFailsNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("missing.properties");
        assertThatThrownBy(() -> ConfigurationSources.load(Optional.of(missing), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--config " + missing);
    }
}
