package dev.osprey.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.osprey.aggregator.topology.AggregatorMetrics;
import dev.osprey.aggregator.topology.Samples;
import dev.osprey.schemas.avro.EndpointHealth;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateAggregatorIT {

    private static EmbeddedKafka kafka;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void foldsSamplesOfTwoPoolsIntoTheirPoolStates() {
        AggregatorConfig config = AggregatorConfig.defaults(kafka.bootstrapServers())
                .withApplicationId("it-aggregator-two-pools").withTopicPrefix("it-two-pools.")
                .withSchemaRegistryUrl("mock://it-two-pools").withStateDir(stateDir);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OspreyTopics topics = OspreyTopics.create(config.topicNames(),
                SchemaRegistries.fromUrl(config.schemaRegistryUrl()));

        StateAggregator aggregator = StateAggregator.start(config, meters);
        try (KafkaTestClients clients = new KafkaTestClients(kafka.bootstrapServers(), topics, "it-two-pools-reader")) {
            aggregator.awaitRunning(Duration.ofSeconds(60));
            assertThat(aggregator.isRunning()).isTrue();

            long now = System.currentTimeMillis();
            clients.send(Samples.ok("c1/ns/pool-a", "a1", now).setWaitingRequests(4).build());
            clients.send(Samples.ok("c1/ns/pool-a", "a2", now).build());
            clients.send(Samples.ok("c1/ns/pool-b", "b1", now).setRunningRequests(9).build());

            await().atMost(Duration.ofSeconds(30)).pollInSameThread().untilAsserted(() -> {
                Map<String, PoolState> latest = clients.pollLatest();
                assertThat(latest).containsKeys("c1/ns/pool-a", "c1/ns/pool-b");
                assertThat(latest.get("c1/ns/pool-a").getEndpoints()).extracting(EndpointState::getEndpointId)
                        .containsExactly("c1/ns/a1:8000", "c1/ns/a2:8000");
                assertThat(latest.get("c1/ns/pool-b").getEndpoints()).singleElement().satisfies(e -> {
                    assertThat(e.getEndpointId()).isEqualTo("c1/ns/b1:8000");
                    assertThat(e.getRunningRequests()).isEqualTo(9);
                });
            });
            assertThat(clients.pollLatest().get("c1/ns/pool-a").getEndpoints().get(0).getHealth())
                    .isIn(EndpointHealth.HEALTHY, EndpointHealth.STALE);
            assertThat(meters.find("kafka.stream.thread.process.total").meters()).as("Streams metrics are bound")
                    .isNotEmpty();
            assertThat(meters.get(AggregatorMetrics.END_TO_END_LATENCY).timer().count()).isGreaterThanOrEqualTo(3);
        } finally {
            aggregator.close();
        }
        assertThat(aggregator.isRunning()).isFalse();
        aggregator.close();
    }
}
