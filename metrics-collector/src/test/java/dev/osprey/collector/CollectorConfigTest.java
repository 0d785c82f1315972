package dev.osprey.collector;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectorConfigTest {

    @Test
    void defaultsMatchTheDesign() {
        CollectorConfig config = CollectorConfig.defaults("localhost:9092");

        assertThat(config.cluster()).isEqualTo("local");
        assertThat(config.schemaRegistryUrl()).isEqualTo("mock://osprey");
        assertThat(config.topicNames().endpointMetrics()).isEqualTo("osprey.endpoint-metrics");
        assertThat(config.scrapeInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.scrapeTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.maxConcurrentScrapes()).isEqualTo(256);
        assertThat(config.metricsPath()).isEqualTo("/metrics");
        assertThat(config.collectorId()).isNotBlank();
        assertThat(config.lingerMs()).isBetween(0, 5);
    }

    @Test
    void readsEveryKeyFromAMapAndIgnoresOtherServices() {
        Map<String, String> map = new HashMap<>();
        map.put(CollectorConfig.BOOTSTRAP_SERVERS, "k:1");
        map.put(CollectorConfig.CLUSTER, "east");
        map.put(CollectorConfig.SCRAPE_INTERVAL, "200ms");
        map.put(CollectorConfig.SCRAPE_TIMEOUT, "PT0.5S");
        map.put(CollectorConfig.MAX_CONCURRENT_SCRAPES, "8");
        map.put("osprey.epp.something", "ignored");

        CollectorConfig config = CollectorConfig.fromMap(map);

        assertThat(config.cluster()).isEqualTo("east");
        assertThat(config.scrapeInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.scrapeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.maxConcurrentScrapes()).isEqualTo(8);
    }

    @Test
    void roundTripsThroughItsMap() {
        CollectorConfig config = CollectorConfig.builder("k:1").cluster("west").scrapeJitter(0.2).lingerMs(0).build();

        assertThat(CollectorConfig.fromMap(config.toMap())).isEqualTo(config);
    }

    @Test
    void unknownKeyFailsNamingIt() {
        assertThatThrownBy(() -> CollectorConfig.fromMap(Map.of(CollectorConfig.BOOTSTRAP_SERVERS, "k:1",
                "osprey.collector.scrape.intervall", "1s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("osprey.collector.scrape.intervall");
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertThatThrownBy(() -> CollectorConfig.fromMap(Map.of(CollectorConfig.BOOTSTRAP_SERVERS, "k:1",
                CollectorConfig.SCRAPE_TIMEOUT, "soon")))
                .hasMessageContaining(CollectorConfig.SCRAPE_TIMEOUT).hasMessageContaining("soon");
        assertThatThrownBy(() -> CollectorConfig.fromMap(Map.of(CollectorConfig.BOOTSTRAP_SERVERS, "k:1",
                CollectorConfig.MAX_CONCURRENT_SCRAPES, "0")))
                .hasMessageContaining(CollectorConfig.MAX_CONCURRENT_SCRAPES);
        assertThatThrownBy(() -> CollectorConfig.fromMap(Map.of(CollectorConfig.BOOTSTRAP_SERVERS, "k:1",
                CollectorConfig.LINGER_MS, "50")))
                .hasMessageContaining(CollectorConfig.LINGER_MS);
        assertThatThrownBy(() -> CollectorConfig.fromMap(Map.of(CollectorConfig.BOOTSTRAP_SERVERS, "k:1",
                CollectorConfig.SCHEMA_REGISTRY_URL, "ftp://x")))
                .hasMessageContaining(CollectorConfig.SCHEMA_REGISTRY_URL);
        assertThatThrownBy(() -> CollectorConfig.fromMap(Map.of()))
                .hasMessageContaining(CollectorConfig.BOOTSTRAP_SERVERS);
    }

    @Test
    void definitionsDocumentEveryKeyOfTheMap() {
        var keys = CollectorConfig.definitions().stream().map(ConfigKey::key).collect(Collectors.toList());

        assertThat(keys).containsExactlyInAnyOrderElementsOf(CollectorConfig.defaults("k:1").toMap().keySet());
        assertThat(CollectorConfig.definitions()).allSatisfy(k -> {
            assertThat(k.doc()).isNotBlank();
            assertThat(k.defaultValue()).isNotBlank();
        });
    }

    @Test
    void metricsPortDefaultsTo9091AndAcceptsEphemeralAndDisabled() {
        assertThat(CollectorConfig.defaults("k:1").metricsPort()).isEqualTo(9091);
        assertThat(CollectorConfig.fromMap(Map.of(CollectorConfig.BOOTSTRAP_SERVERS, "k:1",
                CollectorConfig.METRICS_PORT, "-1")).metricsPort()).isEqualTo(-1);
        assertThat(CollectorConfig.fromMap(Map.of(CollectorConfig.BOOTSTRAP_SERVERS, "k:1",
                CollectorConfig.METRICS_PORT, "0")).metricsPort()).isZero();
        for (String bad : new String[] {"65536", "-2", "http"}) {
            assertThatThrownBy(() -> CollectorConfig.fromMap(Map.of(CollectorConfig.BOOTSTRAP_SERVERS, "k:1",
                    CollectorConfig.METRICS_PORT, bad))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(CollectorConfig.METRICS_PORT);
        }
    }
}
