package dev.osprey.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void parsesBothDiscoveryModes() {
        LaunchOptions file = LaunchOptions.parse("--resources", "r.yaml", "--config", "c.properties");
        assertThat(file.resources()).hasValue(Path.of("r.yaml"));
        assertThat(file.kubernetes()).isFalse();
        assertThat(file.configFile()).hasValue(Path.of("c.properties"));

        LaunchOptions cluster = LaunchOptions.parse("--kubernetes", "--namespace", "team-a");
        assertThat(cluster.kubernetes()).isTrue();
        assertThat(cluster.namespace()).hasValue("team-a");
        assertThat(LaunchOptions.parse("--kubernetes").namespace()).isEmpty();
    }

    @Test
    void rejectsABadCommandLine() {
        assertThatThrownBy(LaunchOptions::parse).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> LaunchOptions.parse("--resources", "a", "--kubernetes"))
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> LaunchOptions.parse("--resources")).hasMessageContaining("--resources needs a value");
        assertThatThrownBy(() -> LaunchOptions.parse("--resources", "a", "--namespace", "x"))
                .hasMessageContaining("--namespace needs --kubernetes");
        assertThatThrownBy(() -> LaunchOptions.parse("--kubernetes", "--bogus")).hasMessageContaining("--bogus");
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path config = dir.resolve("collector.properties");
        Files.writeString(config, """
                osprey.collector.kafka.bootstrap-servers=kafka:9092
                osprey.collector.scrape.interval=100ms
                osprey.collector.cluster=from-file
                """);
        LaunchOptions options = new LaunchOptions(Optional.of(Path.of("r.yaml")), false, Optional.empty(),
                Optional.of(config));

        CollectorConfig result = Main.configuration(options, Map.of(
                "OSPREY_COLLECTOR_CLUSTER", "from-env",
                "OSPREY_COLLECTOR_DISCOVERY_POOLS", "team-a/llama, team-b/chat",
                "OSPREY_COLLECTOR_SHARDING_SHARDS", "6",
                "PATH", "/usr/bin"));

        assertThat(result.cluster()).isEqualTo("from-env");
        assertThat(result.scrapeInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(result.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(result.discoveryPools()).isEqualTo(Set.of("team-a/llama", "team-b/chat"));
        assertThat(result.shards()).isEqualTo(6);
        assertThat(result.shardSettings().topic()).isEqualTo("osprey.collector-shards");
        assertThat(result.shardSettings().groupId()).isEqualTo("osprey.collector-from-env");
    }

    @Test
    void badConfigurationNamesTheKeyOrVariable() throws IOException {
        Path config = dir.resolve("bad.properties");
        Files.writeString(config, "osprey.collector.kafka.bootstrap-servers=k:1\nosprey.collector.scrape.interval=fast\n");
        LaunchOptions options = new LaunchOptions(Optional.empty(), true, Optional.empty(), Optional.of(config));

        assertThatThrownBy(() -> Main.configuration(options, Map.of()))
                .hasMessageContaining(CollectorConfig.SCRAPE_INTERVAL).hasMessageContaining("fast");
        assertThatThrownBy(() -> Main.configuration(options, Map.of("OSPREY_COLLECTOR_SCRAPE_INTERVL", "1s")))
                .hasMessageContaining("OSPREY_COLLECTOR_SCRAPE_INTERVL");
        assertThatThrownBy(() -> Main.configuration(options, Map.of("OSPREY_COLLECTOR_SCRAPE_INTERVAL", "1s",
                "OSPREY_COLLECTOR_DISCOVERY_POOLS", "no-slash")))
                .hasMessageContaining(CollectorConfig.DISCOVERY_POOLS);
        LaunchOptions missing = new LaunchOptions(Optional.empty(), true, Optional.empty(),
                Optional.of(dir.resolve("absent.properties")));
        assertThatThrownBy(() -> Main.configuration(missing, Map.of())).hasMessageContaining("absent.properties");
    }
}
