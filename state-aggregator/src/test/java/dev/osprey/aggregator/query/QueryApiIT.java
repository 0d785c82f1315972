package dev.osprey.aggregator.query;

import static dev.osprey.aggregator.query.TwoInstanceSupport.get;
import static dev.osprey.aggregator.query.TwoInstanceSupport.poolsCoveringEveryPartition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.StateAggregator;
import dev.osprey.aggregator.topology.Samples;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryApiIT {

    private static final int PARTITIONS = 3;
    private static EmbeddedKafka kafka;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path stateDirs;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void everyInstanceAnswersTheSameForEveryPoolForwardingToTheOwner() throws Exception {
        AggregatorConfig base = AggregatorConfig.defaults(kafka.bootstrapServers())
                .withApplicationId("it-query-aggregator").withTopicPrefix("it-query.")
                .withSchemaRegistryUrl("mock://it-query").withApplicationServer("127.0.0.1:0")
                .withTopicLayout(PARTITIONS, (short) 1);
        List<String> pools = poolsCoveringEveryPartition("pool-", PARTITIONS);
        try (StateAggregator first = StateAggregator.start(base.withStateDir(stateDirs.resolve("a")),
                new SimpleMeterRegistry());
                StateAggregator second = StateAggregator.start(base.withStateDir(stateDirs.resolve("b")),
                        new SimpleMeterRegistry())) {
            first.awaitRunning(Duration.ofSeconds(60));
            second.awaitRunning(Duration.ofSeconds(60));
            produce(base, pools);
            List<URI> instances = List.of(first.queryUri().orElseThrow(), second.queryUri().orElseThrow());

            Set<String> answeredElsewhere = new HashSet<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (String pool : pools) {
                    List<Map<String, Integer>> views = new ArrayList<>();
                    for (URI instance : instances) {
                        HttpResponse<String> response = get(http, instance, "/pools/" + QueryRoute.encode(pool));
                        assertThat(response.statusCode()).as(pool + " at " + instance).isEqualTo(200);
                        JsonNode state = json.readTree(response.body());
                        assertThat(state.get("poolId").asText()).isEqualTo(pool);
                        views.add(waitingByEndpoint(state));
                        String servedBy = response.headers().firstValue(QueryHandler.SERVED_BY).orElseThrow();
                        if (!instance.getAuthority().equals(servedBy)) {
                            answeredElsewhere.add(pool);
                        }
                    }
                    assertThat(views.get(0)).isEqualTo(Map.of(pool + "/e1", 1, pool + "/e2", 2))
                            .isEqualTo(views.get(1));
                }
            });
            assertThat(answeredElsewhere).as("some queries were forwarded to the owning instance").isNotEmpty();

            String pool = pools.get(0);
            for (URI instance : instances) {
                HttpResponse<String> endpoint = get(http, instance, "/pools/" + QueryRoute.encode(pool) + "/endpoints/"
                        + QueryRoute.encode(pool + "/e2"));
                assertThat(endpoint.statusCode()).isEqualTo(200);
                assertThat(json.readTree(endpoint.body()).get("waitingRequests").asInt()).isEqualTo(2);
                assertThat(get(http, instance, "/pools/" + QueryRoute.encode("c1/ns/no-such-pool")).statusCode())
                        .isEqualTo(404);
            }
        }
    }

    /** Two pool ids per partition of the default partitioner, so both instances own some pools. */

    private static void produce(AggregatorConfig config, List<String> pools) {
        OspreyTopics topics = OspreyTopics.create(config.topicNames(),
                SchemaRegistries.fromUrl(config.schemaRegistryUrl()));
        try (KafkaProducer<String, EndpointMetrics> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.endpointMetrics().keySerde().serializer(), topics.endpointMetrics().valueSerde().serializer())) {
            long now = System.currentTimeMillis();
            for (String pool : pools) {
                for (int e = 1; e <= 2; e++) {
                    EndpointMetrics sample = Samples.ok(pool, pool + "-e" + e, now).setWaitingRequests(e)
                            .setEndpointId(pool + "/e" + e).build();
                    producer.send(new ProducerRecord<>(topics.endpointMetrics().name(), pool, sample));
                }
            }
            producer.flush();
        }
    }

    private static Map<String, Integer> waitingByEndpoint(JsonNode state) {
        Map<String, Integer> waiting = new TreeMap<>();
        state.get("endpoints").forEach(e -> waiting.put(e.get("endpointId").asText(), e.get("waitingRequests").asInt()));
        return waiting;
    }
}
