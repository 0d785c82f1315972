package dev.osprey.epp;

import static dev.osprey.epp.extproc.ExtProcClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.ProcessingGuarantee;
import dev.osprey.aggregator.StateAggregator;
import dev.osprey.api.ResourceSet;
import dev.osprey.epp.extproc.ExtProcClient;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.avro.ScrapeStatus;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two EPP replicas sharing picker state through the real aggregator and a real broker: requests replica A keeps
 * in flight steer replica B away from that endpoint, and a prompt prefix A routed is matched by B.
 */
class SharedPickerStateIT {

    private static final String PREFIX = "it-shared-state.";
    private static final String REGISTRY = "mock://it-shared-state";
    private static final String POOL_ID = "local/ns/pool";
    private static final List<String> IPS = List.of("10.9.0.1", "10.9.0.2", "10.9.0.3");
    private static final String SYSTEM = "You are a careful assistant for the shared-state test. ".repeat(60);

    @TempDir
    static Path stateDir;

    private static EmbeddedKafka kafka;
    private static OspreyTopics topics;
    private static StateAggregator aggregator;
    private static ScheduledExecutorService scraper;
    private static KafkaProducer<String, EndpointMetrics> producer;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        AggregatorConfig config = AggregatorConfig.defaults(kafka.bootstrapServers())
                .withApplicationId("it-shared-state").withTopicPrefix(PREFIX).withSchemaRegistryUrl(REGISTRY)
                .withStateDir(stateDir).with(AggregatorConfig.PREFIX_PUBLISH_INTERVAL_MS, "100")
                .withProcessingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE);
        topics = OspreyTopics.create(config.topicNames(), SchemaRegistries.fromUrl(REGISTRY));
        aggregator = StateAggregator.start(config, new SimpleMeterRegistry());
        aggregator.awaitRunning(Duration.ofSeconds(60));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 1), topics.endpointMetrics().keySerde().serializer(),
                topics.endpointMetrics().valueSerde().serializer());
        // the collector's part: three idle endpoints scraped every 50 ms
        AtomicLong sequence = new AtomicLong();
        scraper = Executors.newSingleThreadScheduledExecutor();
        scraper.scheduleAtFixedRate(() -> {
            long now = System.currentTimeMillis();
            for (String ip : IPS) {
                producer.send(new ProducerRecord<>(topics.endpointMetrics().name(), POOL_ID,
                        EndpointMetrics.newBuilder().setCluster("local").setCollectorId("it")
                                .setSequence(sequence.incrementAndGet()).setEndpointId("local/ns/pod-" + ip + ":8000")
                                .setPoolId(POOL_ID).setAddress(ip).setPort(8000).setEngine(Engine.VLLM)
                                .setScrapeTimeMs(now).setStatus(ScrapeStatus.OK).build()));
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (scraper != null) {
            scraper.shutdownNow();
            scraper.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (aggregator != null) {
            aggregator.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static EppServer replica(String id, SimpleMeterRegistry meters) throws Exception {
        EppConfig config = EppConfig.defaults(kafka.bootstrapServers(), "ns", "pool").withReplicaId(id)
                .withBindAddress("127.0.0.1").withGrpcPort(0).withHealthPort(0).withMetricsPort(-1)
                .withTopicPrefix(PREFIX).withSchemaRegistryUrl(REGISTRY).withTlsPlaintext(true).withPublishPrefixHashes(true)
                .withShutdownGrace(Duration.ofMillis(200));
        EppServer epp = EppServer.start(config, new ResourceSet(List.of(), List.of(), List.of()), meters);
        epp.awaitReady(Duration.ofSeconds(60));
        return epp;
    }

    private static ManagedChannel channel(EppServer epp) {
        return NettyChannelBuilder.forAddress("127.0.0.1", epp.grpcPort()).usePlaintext().build();
    }

    private static Metadata subset(String hostPort) {
        return Metadata.newBuilder().putFilterMetadata("envoy.lb.subset_hint", Struct.newBuilder()
                .putFields("x-gateway-destination-endpoint-subset", Value.newBuilder().setStringValue(hostPort)
                        .build()).build()).build();
    }

    /** Sends one request on {@code client} and returns its destination; the stream stays open (in flight). */
    private static String send(ExtProcClient client, String requestId, String prompt, Metadata metadata) {
        client.requestHeaders(Map.of(":method", "POST", ":path", "/v1/completions", "x-request-id", requestId),
                false, metadata);
        client.requestBody("{\"model\":\"llama\",\"prompt\":\"" + prompt + "\",\"max_tokens\":4}", true);
        String destination = header(client.next().getRequestHeaders().getResponse().getHeaderMutation(),
                "x-gateway-destination-endpoint");
        client.next(); // the body
        return destination;
    }

    private static String route(ManagedChannel channel, String requestId, String prompt) {
        try (ExtProcClient client = new ExtProcClient(channel)) {
            return send(client, requestId, prompt, Metadata.getDefaultInstance());
        }
    }

    /** Waits until the pool state shows {@code replica} with {@code count} requests in flight on {@code ip}. */
    private static void awaitInflight(String replica, String ip, int count) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-shared-state-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, PoolState> consumer = new KafkaConsumer<>(props,
                topics.poolState().keySerde().deserializer(), topics.poolState().valueSerde().deserializer())) {
            consumer.subscribe(List.of(topics.poolState().name()));
            Map<String, Integer> seen = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    for (EndpointState e : r.value().getEndpoints()) {
                        if (e.getAddress().equals(ip)) {
                            seen.put(ip, e.getInflightByReplica().getOrDefault(replica, 0));
                        }
                    }
                });
                return seen.getOrDefault(ip, -1) == count;
            });
        }
    }

    @Test
    void replicasSeeEachOthersInflightRequestsAndPrefixes() throws Exception {
        SimpleMeterRegistry metersOfB = new SimpleMeterRegistry();
        try (EppServer a = replica("epp-a", new SimpleMeterRegistry()); EppServer b = replica("epp-b", metersOfB)) {
            ManagedChannel toA = channel(a);
            ManagedChannel toB = channel(b);
            List<ExtProcClient> open = new ArrayList<>();
            try {
                // A holds six requests open on 10.9.0.1 (the gateway's subset hint pins them there)
                for (int i = 0; i < 6; i++) {
                    ExtProcClient client = new ExtProcClient(toA);
                    open.add(client);
                    assertThat(send(client, "held-" + i, "hold " + i, subset("10.9.0.1:8000")))
                            .isEqualTo("10.9.0.1:8000");
                }
                awaitInflight("epp-a", "10.9.0.1", 6);
                Thread.sleep(500); // B follows the same pool-state topic
                // every endpoint was scraped idle; only the shared in-flight count tells B that .1 is busy
                for (int i = 0; i < 12; i++) {
                    assertThat(route(toB, "b-" + i, "short question " + i)).as("B's pick %d", i)
                            .isNotEqualTo("10.9.0.1:8000");
                }
                open.forEach(ExtProcClient::close);
                open.clear();
                awaitInflight("epp-a", "10.9.0.1", 0);

                // A routes three long prompts to three different endpoints; B must find each where A sent it
                Map<String, String> placed = new HashMap<>();
                int blocks = 0;
                for (int i = 0; i < IPS.size(); i++) {
                    String prompt = "Conversation " + i + ". " + SYSTEM;
                    blocks += prompt.length() / 64;
                    String target = IPS.get(i) + ":8000";
                    try (ExtProcClient client = new ExtProcClient(toA)) {
                        assertThat(send(client, "warm-" + i, prompt, subset(target))).isEqualTo(target);
                    }
                    placed.put(prompt, target);
                }
                int expectedBlocks = blocks;
                await().atMost(Duration.ofSeconds(30)).until(() -> metersOfB.counter(
                        "osprey_epp_shared_prefix_blocks_merged_total").count() >= expectedBlocks);
                int n = 0;
                for (Map.Entry<String, String> e : placed.entrySet()) {
                    assertThat(route(toB, "follow-" + n++, e.getKey() + " and a follow-up question"))
                            .as("B's pick for the prompt A sent to %s", e.getValue()).isEqualTo(e.getValue());
                }
            } finally {
                open.forEach(ExtProcClient::close);
                toA.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                toB.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
