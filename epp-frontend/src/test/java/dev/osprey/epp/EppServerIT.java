package dev.osprey.epp;

import static dev.osprey.epp.extproc.ExtProcClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osprey.api.ResourceSet;
import dev.osprey.epp.extproc.ExtProcClient;
import dev.osprey.epp.tls.TrustAll;
import dev.osprey.schemas.avro.EndpointHealth;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.osprey.schemas.avro.RoutingDecision;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EppServerIT {

    private static final String PREFIX = "it-epp-server.";
    private static final String REGISTRY = "mock://it-epp-server";
    private static final String POOL_ID = "local/ns/pool";
    private static final Map<String, String> HEADERS = Map.of(":method", "POST", ":path", "/v1/completions",
            "x-request-id", "it-1");

    private static EmbeddedKafka kafka;
    private static OspreyTopics topics;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        TopicNames names = TopicNames.withPrefix(PREFIX);
        TopicProvisioner.ensureTopics(kafka.bootstrapServers(), names, new TopicProvisioner.Layout(2, (short) 1));
        topics = OspreyTopics.create(names, SchemaRegistries.fromUrl(REGISTRY));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static EndpointState endpoint(String ip, int waiting) {
        long now = System.currentTimeMillis();
        return EndpointState.newBuilder().setEndpointId("local/ns/pod-" + ip + ":8000").setAddress(ip).setPort(8000)
                .setEngine(Engine.VLLM).setHealth(EndpointHealth.HEALTHY).setScrapeTimeMs(now).setMetricsAgeMs(5)
                .setWaitingRequests(waiting).setRunningRequests(1).setKvCacheUtilization(0.1).build();
    }

    private static void publish(KafkaProducer<String, PoolState> producer, long version, List<EndpointState> eps)
            throws Exception {
        PoolState state = PoolState.newBuilder().setCluster("local").setPoolId(POOL_ID).setVersion(version)
                .setProducedAtMs(System.currentTimeMillis()).setEndpoints(eps).build();
        producer.send(new ProducerRecord<>(topics.poolState().name(), POOL_ID, state)).get(10, TimeUnit.SECONDS);
    }

    private static String route(ManagedChannel channel) {
        try (ExtProcClient c = new ExtProcClient(channel)) {
            c.requestHeaders(HEADERS, false);
            c.requestBody("{\"model\":\"llama\",\"prompt\":\"hi\"}", true);
            String destination = header(c.next().getRequestHeaders().getResponse().getHeaderMutation(),
                    "x-gateway-destination-endpoint");
            assertThat(c.next().getRequestBody().getResponse().getBodyMutation().getStreamedResponse()
                    .getEndOfStream()).isTrue();
            return destination;
        }
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Reads routing decisions from the beginning until at least {@code min} arrived. */
    private static List<RoutingDecision> readDecisions(int min) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<RoutingDecision> out = new ArrayList<>();
        try (KafkaConsumer<String, RoutingDecision> consumer = new KafkaConsumer<>(props,
                topics.routingDecisions().keySerde().deserializer(),
                topics.routingDecisions().valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.routingDecisions().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> out.add(r.value()));
                return out.size() >= min;
            });
        }
        out.sort(java.util.Comparator.comparingLong(RoutingDecision::getSequence));
        return out;
    }

    @Test
    void servesHealthAfterSyncAndRoutesByTheLatestPoolState() throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, PoolState> producer = new KafkaProducer<>(props,
                topics.poolState().keySerde().serializer(), topics.poolState().valueSerde().serializer())) {
            publish(producer, 1, List.of(endpoint("10.1.0.1", 20), endpoint("10.1.0.2", 0),
                    endpoint("10.1.0.3", 30)));

            EppConfig config = EppConfig.defaults(kafka.bootstrapServers(), "ns", "pool").withBindAddress("127.0.0.1")
                    .withGrpcPort(0).withHealthPort(0).withMetricsPort(0).withTopicPrefix(PREFIX)
                    .withSchemaRegistryUrl(REGISTRY).withShutdownGrace(Duration.ofMillis(500));
            try (EppServer epp = EppServer.start(config, new ResourceSet(List.of(), List.of(), List.of()),
                    new SimpleMeterRegistry())) {
                ManagedChannel health = NettyChannelBuilder.forAddress("127.0.0.1", epp.healthPort())
                        .usePlaintext().build();
                ManagedChannel extProc = NettyChannelBuilder.forAddress("127.0.0.1", epp.grpcPort(),
                        TrustAll.credentials()).build();
                try {
                    epp.awaitReady(Duration.ofSeconds(30));
                    assertThat(epp.ready()).isTrue();
                    HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(health);
                    for (String service : EppServer.HEALTH_SERVICES) {
                        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stub.check(
                                HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                                .isEqualTo(ServingStatus.SERVING));
                    }

                    assertThat(route(extProc)).isEqualTo("10.1.0.2:8000");

                    publish(producer, 2, List.of(endpoint("10.1.0.1", 20), endpoint("10.1.0.2", 100),
                            endpoint("10.1.0.3", 30)));
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                            .untilAsserted(() -> assertThat(route(extProc)).isEqualTo("10.1.0.1:8000"));

                    String scrape = scrape(epp.metricsPort());
                    assertThat(scrape).contains("inference_objective_request_total{", "model_name=\"llama\"",
                            "inference_extension_scheduler_e2e_duration_seconds_bucket",
                            "inference_pool_ready_pods{name=\"pool\"} 3.0",
                            "inference_pool_average_queue_size{name=\"pool\"} 50.0",
                            "inference_pool_average_kv_cache_utilization{name=\"pool\"}");
                    List<RoutingDecision> decisions = readDecisions(2);
                    assertThat(decisions).allSatisfy(d -> {
                        assertThat(d.getPoolId()).isEqualTo(POOL_ID);
                        assertThat(d.getRequestId()).isEqualTo("it-1");
                        assertThat(d.getChosenEndpoints()).hasSize(1);
                    });
                    assertThat(decisions.get(0).getChosenEndpoints()).containsExactly("10.1.0.2:8000");
                } finally {
                    extProc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    health.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }
}
