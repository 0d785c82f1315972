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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.ProcessingGuarantee;
import dev.osprey.aggregator.StateAggregator;
import dev.osprey.aggregator.topology.Samples;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two exactly-once instances with separate state directories and no standbys: closing one moves its pools to the
 * other, which restores them from the changelogs — endpoints, published versions, in-flight requests, prefix
 * index — and keeps answering for every pool.
 */
class FailoverIT {

    private static final int PARTITIONS = 3;
    private static final String REPLICA = "epp-0";
    /** Kafka's records-lag-max of the Streams consumers, as Micrometer's KafkaStreamsMetrics names it. */
    private static final String CONSUMER_LAG = "kafka.consumer.fetch.manager.records.lag.max";
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
    void closingOneInstanceMovesItsPoolsToTheOtherWithoutLosingState() throws Exception {
        AggregatorConfig base = AggregatorConfig.defaults(kafka.bootstrapServers())
                .withApplicationId("it-failover-aggregator").withTopicPrefix("it-failover.")
                .withSchemaRegistryUrl("mock://it-failover").withApplicationServer("127.0.0.1:0")
                .withTopicLayout(PARTITIONS, (short) 1).withStalenessThreshold(Duration.ofMinutes(5))
                .withEndpointExpiry(Duration.ofMinutes(10));
        assertThat(base.processingGuarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
        List<String> pools = poolsCoveringEveryPartition("fo-", PARTITIONS);
        OspreyTopics topics = OspreyTopics.create(base.topicNames(), SchemaRegistries.fromUrl(base.schemaRegistryUrl()));
        SimpleMeterRegistry survivorMeters = new SimpleMeterRegistry();
        StateAggregator survivor = StateAggregator.start(base.withStateDir(stateDirs.resolve("a")), survivorMeters);
        try (survivor;
                StateAggregator victim = StateAggregator.start(base.withStateDir(stateDirs.resolve("b")),
                        new SimpleMeterRegistry())) {
            survivor.awaitRunning(Duration.ofSeconds(90));
            victim.awaitRunning(Duration.ofSeconds(90));
            long now = System.currentTimeMillis();
            sendSamples(topics, pools, now, 1);
            sendDecisions(topics, pools, now);
            URI a = survivor.queryUri().orElseThrow();
            URI b = victim.queryUri().orElseThrow();

            Map<String, Long> versionBefore = new HashMap<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                for (String pool : pools) {
                    JsonNode fromA = pool(a, pool);
                    JsonNode fromB = pool(b, pool);
                    assertThat(summary(fromA)).as(pool).isEqualTo(expected(pool, 1, 2)).isEqualTo(summary(fromB));
                    versionBefore.put(pool, fromA.get("version").asLong());
                    // the prefix index writes its blocks to the store once per publish interval; closing the victim
                    // before that would test the documented loss of one interval, not the hand-over of the store
                    assertPrefixes(a, pool);
                }
            });
            assertThat(servedBy(b, pools)).as("the victim owns some pools before it is closed")
                    .containsValue(b.getAuthority());

            victim.close();

            // One outcome per pool after the failover: the restored open-request store must match it.
            sendOutcomes(topics, pools, System.currentTimeMillis());
            sendSamples(topics, pools, System.currentTimeMillis(), 7);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                for (String pool : pools) {
                    JsonNode state = pool(a, pool);
                    assertThat(summary(state)).as(pool).isEqualTo(expected(pool, 7, 1));
                    assertThat(state.get("version").asLong()).as(pool + " version keeps increasing")
                            .isGreaterThan(versionBefore.get(pool));
                }
            });
            assertThat(servedBy(a, pools).values()).containsOnly(a.getAuthority());
            assertThat(survivorMeters.find(CONSUMER_LAG).gauges()).as("consumer lag is exported").isNotEmpty();
            // the prefix store is restored by its own tasks, which may finish after the pool state's
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                for (String pool : pools) {
                    assertPrefixes(a, pool);
                }
            });
        }
    }

    /** The pool's prefix index, asked through {@code via}, matches blocks 11, 12 of endpoint 1. */
    private void assertPrefixes(URI via, String pool) throws Exception {
        HttpResponse<String> prefixes = get(http, via, "/pools/" + QueryRoute.encode(pool) + "/prefixes?hashes=11,12,13");
        assertThat(prefixes.statusCode()).isEqualTo(200);
        JsonNode endpoints = json.readTree(prefixes.body()).get("endpoints");
        assertThat(endpoints).as(pool + " prefix matches").isNotEmpty();
        assertThat(endpoints.get(0).get("endpoint").asText()).as(pool).isEqualTo(hostPort(pool, 1));
        assertThat(endpoints.get(0).get("matchedBlocks").asInt()).as(pool).isEqualTo(2);
    }

    /** endpoint id → "waiting/inflight of REPLICA". */
    private static Map<String, String> summary(JsonNode state) {
        Map<String, String> view = new TreeMap<>();
        state.get("endpoints").forEach(e -> view.put(e.get("endpointId").asText(), e.get("waitingRequests").asInt()
                + "/" + e.path("inflightByReplica").path(REPLICA).asInt(0)));
        return view;
    }

    private static Map<String, String> expected(String pool, int waitingBase, int inflightOnFirst) {
        return Map.of(pool + "/e1", waitingBase + "/" + inflightOnFirst, pool + "/e2", (waitingBase + 1) + "/0");
    }

    private Map<String, String> servedBy(URI instance, List<String> pools) throws Exception {
        Map<String, String> served = new TreeMap<>();
        for (String pool : pools) {
            HttpResponse<String> response = get(http, instance, "/pools/" + QueryRoute.encode(pool));
            served.put(pool, response.headers().firstValue(QueryHandler.SERVED_BY).orElseThrow());
        }
        return served;
    }

    private JsonNode pool(URI instance, String pool) throws Exception {
        HttpResponse<String> response = get(http, instance, "/pools/" + QueryRoute.encode(pool));
        assertThat(response.statusCode()).as(pool + " at " + instance + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }


    private static String address(String pool, int endpoint) {
        return "10.0." + Math.abs(pool.hashCode() % 200) + "." + endpoint;
    }

    private static String hostPort(String pool, int endpoint) {
        return address(pool, endpoint) + ":8000";
    }

    private static void sendSamples(OspreyTopics topics, List<String> pools, long scrapeTimeMs, int waitingBase) {
        try (KafkaProducer<String, EndpointMetrics> producer = producer(topics.endpointMetrics().valueSerde()
                .serializer())) {
            for (String pool : pools) {
                for (int e = 1; e <= 2; e++) {
                    EndpointMetrics sample = Samples.ok(pool, pool + "-e" + e, scrapeTimeMs)
                            .setWaitingRequests(waitingBase + e - 1).setEndpointId(pool + "/e" + e)
                            .setAddress(address(pool, e)).build();
                    producer.send(new ProducerRecord<>(topics.endpointMetrics().name(), pool, sample));
                }
            }
            producer.flush();
        }
    }

    /** Two routed requests per pool, both to endpoint 1, with prefix blocks 11, 12. */
    private static void sendDecisions(OspreyTopics topics, List<String> pools, long nowMs) {
        try (KafkaProducer<String, RoutingDecision> producer = producer(topics.routingDecisions().valueSerde()
                .serializer())) {
            for (String pool : pools) {
                for (int r = 1; r <= 2; r++) {
                    producer.send(new ProducerRecord<>(topics.routingDecisions().name(), pool, RoutingDecision
                            .newBuilder().setCluster("c1").setEppReplicaId(REPLICA).setSequence(r).setDecidedAtMs(nowMs)
                            .setRequestId("req-" + r).setPoolId(pool).setChosenEndpoints(List.of(hostPort(pool, 1)))
                            .setPrefixBlockHashes(List.of(11L, 12L)).build()));
                }
            }
            producer.flush();
        }
    }

    private static void sendOutcomes(OspreyTopics topics, List<String> pools, long nowMs) {
        try (KafkaProducer<String, RequestOutcome> producer = producer(topics.requestOutcomes().valueSerde()
                .serializer())) {
            for (String pool : pools) {
                producer.send(new ProducerRecord<>(topics.requestOutcomes().name(), pool, RequestOutcome.newBuilder()
                        .setCluster("c1").setEppReplicaId(REPLICA).setSequence(1).setFinishedAtMs(nowMs)
                        .setRequestId("req-1").setPoolId(pool).setEndpoint(hostPort(pool, 1)).setHttpStatus(200)
                        .setEndToEndLatencyMs(20).build()));
            }
            producer.flush();
        }
    }

    private static <V> KafkaProducer<String, V> producer(org.apache.kafka.common.serialization.Serializer<V> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), values);
    }
}
