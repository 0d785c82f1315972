package dev.osprey.collector;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.collector.discovery.EndpointSource;
import dev.osprey.collector.discovery.StaticEndpointSource;
import dev.osprey.collector.parse.Pages;
import dev.osprey.collector.publish.KafkaPublisher;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.EndpointMembership;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.ScrapeStatus;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetricsCollectorIT {

    private static final String REGISTRY = "mock://collector-it";

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static PoolEndpoint endpoint(String pod, int port, String engine) {
        return new PoolEndpoint("it/default/" + pod + ":" + port, "it/default/pool", pod, "127.0.0.1", port, 0,
                engine, Map.of("app", "llm", "inference.networking.k8s.io/engine-type", engine));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void publishesARecordWithTheRightStatusForEveryEndpoint() throws Exception {
        TopicNames names = TopicNames.withPrefix("it-collector-status.");
        TopicProvisioner.ensureTopics(kafka.bootstrapServers(), names, new TopicProvisioner.Layout(2, (short) 1));
        try (PageServer vllm = PageServer.serving(Pages.bytes("vllm.txt"));
                PageServer sglang = PageServer.serving(Pages.bytes("sglang.txt"));
                PageServer garbage = PageServer.serving(new byte[] {0, 1, 2, (byte) 0xff, '{', '\n', 'x'});
                PageServer broken = PageServer.failing(500);
                PageServer slow = PageServer.hanging()) {
            List<PoolEndpoint> endpoints = List.of(
                    endpoint("vllm-0", vllm.port(), "vllm"),
                    endpoint("sglang-0", sglang.port(), "sglang"),
                    endpoint("garbage-0", garbage.port(), "vllm"),
                    endpoint("broken-0", broken.port(), "vllm"),
                    endpoint("slow-0", slow.port(), "vllm"),
                    endpoint("gone-0", closedPort(), "vllm"));
            CollectorConfig config = CollectorConfig.builder(kafka.bootstrapServers())
                    .cluster("it").collectorId("collector-it").schemaRegistryUrl(REGISTRY)
                    .topicPrefix("it-collector-status.").scrapeInterval(Duration.ofMillis(100))
                    .scrapeTimeout(Duration.ofMillis(400)).build();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Map<String, EndpointMetrics> latest = new ConcurrentHashMap<>();
            Map<String, EndpointMembership> members = new ConcurrentHashMap<>();
            OspreyTopics topics = OspreyTopics.create(names, SchemaRegistries.fromUrl(REGISTRY));

            try (MetricsCollector collector = MetricsCollector.start(config, StaticEndpointSource.of(endpoints), meters);
                    KafkaConsumer<byte[], byte[]> consumer = consumer("it-collector-status")) {
                consumer.subscribe(List.of(names.endpointMetrics(), names.endpoints()));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    drain(consumer, topics, latest, members);
                    // under CPU contention a healthy endpoint's scrape can time out now and then: wait for a
                    // moment when the latest record of each healthy endpoint is OK
                    return latest.size() == 6 && members.size() == 6
                            && isOk(latest.get("it/default/vllm-0:" + vllm.port()))
                            && isOk(latest.get("it/default/sglang-0:" + sglang.port()));
                });

                assertThat(collector.endpointCount()).isEqualTo(6);
            }

            EndpointMetrics ok = latest.get("it/default/vllm-0:" + vllm.port());
            assertThat(ok.getStatus()).isEqualTo(ScrapeStatus.OK);
            assertThat(ok.getCluster()).isEqualTo("it");
            assertThat(ok.getCollectorId()).isEqualTo("collector-it");
            assertThat(ok.getPoolId()).isEqualTo("it/default/pool");
            assertThat(ok.getAddress()).isEqualTo("127.0.0.1");
            assertThat(ok.getPort()).isEqualTo(vllm.port());
            assertThat(ok.getEngine()).isEqualTo(Engine.VLLM);
            assertThat(ok.getWaitingRequests()).isEqualTo(3);
            assertThat(ok.getRunningRequests()).isEqualTo(7);
            assertThat(ok.getKvCacheUtilization()).isEqualTo(0.4375);
            assertThat(ok.getRunningLoraAdapters()).containsExactly("sql-lora", "tweet-lora", "chat-lora");
            assertThat(ok.getWaitingLoraAdapters()).containsExactly("math-lora");
            assertThat(ok.getMaxLoraSlots()).isEqualTo(4);
            assertThat(ok.getBlockSize()).isEqualTo(16);
            assertThat(ok.getNumGpuBlocks()).isEqualTo(27153L);
            assertThat(ok.getPrefixCacheHits()).isEqualTo(912_384.0);
            assertThat(ok.getScrapeTimeMs()).isPositive();
            assertThat(ok.getSequence()).isPositive();

            EndpointMetrics sg = latest.get("it/default/sglang-0:" + sglang.port());
            assertThat(sg.getStatus()).isEqualTo(ScrapeStatus.OK);
            assertThat(sg.getEngine()).isEqualTo(Engine.SGLANG);
            assertThat(sg.getWaitingRequests()).isEqualTo(2);

            assertStatus(latest, "garbage-0:" + garbage.port(), ScrapeStatus.PARSE_ERROR, "vllm:num_requests_waiting");
            assertStatus(latest, "broken-0:" + broken.port(), ScrapeStatus.HTTP_ERROR, "500");
            assertStatus(latest, "slow-0:" + slow.port(), ScrapeStatus.TIMEOUT, "PT0.4S");
            assertThat(latest.values()).filteredOn(m -> m.getEndpointId().startsWith("it/default/gone-0"))
                    .singleElement().satisfies(m -> assertThat(m.getStatus()).isEqualTo(ScrapeStatus.CONNECT_ERROR));

            EndpointMembership member = members.get("it/default/vllm-0:" + vllm.port());
            assertThat(member.getPoolId()).isEqualTo("it/default/pool");
            assertThat(member.getLabels()).containsEntry("app", "llm");
            assertThat(member.getReady()).isTrue();

            assertThat(meters.get("osprey.collector.scrapes").tag("status", "ok").counter().count()).isPositive();
            assertThat(meters.get("osprey.collector.scrapes").tag("status", "timeout").counter().count()).isPositive();
        }
    }

    @Test
    void tombstonesRemovedEndpointsAndStopsScrapingThem() throws Exception {
        TopicNames names = TopicNames.withPrefix("it-collector-membership.");
        TopicProvisioner.ensureTopics(kafka.bootstrapServers(), names, new TopicProvisioner.Layout(1, (short) 1));
        try (PageServer vllm = PageServer.serving(Pages.bytes("vllm.txt"))) {
            PoolEndpoint a = endpoint("a-0", vllm.port(), "vllm");
            PoolEndpoint b = new PoolEndpoint("it/default/b-0:" + vllm.port(), "it/default/pool", "b-0", "localhost",
                    vllm.port(), 0, "vllm", Map.of());
            java.util.concurrent.atomic.AtomicReference<List<PoolEndpoint>> current =
                    new java.util.concurrent.atomic.AtomicReference<>(List.of(a, b));
            EndpointSource source = current::get;
            CollectorConfig config = CollectorConfig.builder(kafka.bootstrapServers())
                    .cluster("it").schemaRegistryUrl(REGISTRY).topicPrefix("it-collector-membership.")
                    .discoveryInterval(Duration.ofMillis(100)).build();
            OspreyTopics topics = OspreyTopics.create(names, SchemaRegistries.fromUrl(REGISTRY));
            Map<String, EndpointMetrics> latest = new ConcurrentHashMap<>();
            Map<String, EndpointMembership> members = new ConcurrentHashMap<>();

            try (MetricsCollector collector = MetricsCollector.start(config, source, new SimpleMeterRegistry());
                    KafkaConsumer<byte[], byte[]> consumer = consumer("it-collector-membership")) {
                consumer.subscribe(List.of(names.endpointMetrics(), names.endpoints()));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    drain(consumer, topics, latest, members);
                    return members.size() == 2 && latest.size() == 2;
                });

                current.set(List.of(a));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    drain(consumer, topics, latest, members);
                    return members.size() == 1;
                });
                assertThat(members).containsOnlyKeys(a.endpointId());
                await().atMost(Duration.ofSeconds(10)).until(() -> collector.endpointCount() == 1);
            }
        }
    }

    @Test
    void startedBeforeItsTopicsExistItWaitsForThemInsteadOfLettingTheBrokerCreateThem() throws Exception {
        TopicNames names = TopicNames.withPrefix("it-collector-early.");
        try (PageServer vllm = PageServer.serving(Pages.bytes("vllm.txt"))) {
            PoolEndpoint a = endpoint("a-0", vllm.port(), "vllm");
            CollectorConfig config = CollectorConfig.builder(kafka.bootstrapServers())
                    .cluster("it").schemaRegistryUrl(REGISTRY).topicPrefix("it-collector-early.").build();
            OspreyTopics topics = OspreyTopics.create(names, SchemaRegistries.fromUrl(REGISTRY));
            Map<String, EndpointMetrics> latest = new ConcurrentHashMap<>();
            Map<String, EndpointMembership> members = new ConcurrentHashMap<>();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();

            try (MetricsCollector collector = MetricsCollector.start(config, StaticEndpointSource.of(List.of(a)),
                    meters)) {
                // longer than the producer waits for a topic's metadata, after which a premature send would fail
                long maxBlockMs = Long.parseLong(KafkaPublisher.producerProperties("b:1", "c", 0)
                        .getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG));
                await().pollDelay(Duration.ofMillis(maxBlockMs + 1000)).atMost(Duration.ofSeconds(30))
                        .until(() -> meters.get("osprey.collector.scrapes").tag("status", "ok").counter().count() >= 5);
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers()))) {
                    assertThat(admin.listTopics().names().get()).as("no topic created by a premature send")
                            .noneMatch(name -> name.startsWith("it-collector-early."));
                }
                assertThat(meters.get("osprey.collector.publish.topics-served").gauge().value()).isZero();

                TopicProvisioner.ensureTopics(kafka.bootstrapServers(), names,
                        new TopicProvisioner.Layout(1, (short) 1));

                try (KafkaConsumer<byte[], byte[]> consumer = consumer("it-collector-early")) {
                    consumer.subscribe(List.of(names.endpointMetrics(), names.endpoints()));
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        drain(consumer, topics, latest, members);
                        return members.size() == 1 && latest.size() == 1;
                    });
                }
                assertThat(meters.get("osprey.collector.publish.topics-served").gauge().value()).isEqualTo(1.0);
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, names.endpoints());
                assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                        .get("cleanup.policy").value()).isEqualTo("compact");
            }
        }
    }

    private static boolean isOk(EndpointMetrics record) {
        return record != null && record.getStatus() == ScrapeStatus.OK;
    }

    private static void assertStatus(Map<String, EndpointMetrics> latest, String podPort, ScrapeStatus status,
            String messagePart) {
        EndpointMetrics record = latest.get("it/default/" + podPort);
        assertThat(record).as(podPort).isNotNull();
        assertThat(record.getStatus()).as(podPort).isEqualTo(status);
        assertThat(record.getStatusMessage()).as(podPort).contains(messagePart);
        assertThat(record.getWaitingRequests()).isZero();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void drain(KafkaConsumer<byte[], byte[]> consumer, OspreyTopics topics,
            Map<String, EndpointMetrics> latest, Map<String, EndpointMembership> members) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            if (record.topic().equals(topics.endpointMetrics().name())) {
                EndpointMetrics metrics = topics.endpointMetrics().valueSerde().deserializer()
                        .deserialize(record.topic(), record.value());
                assertThat(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(metrics.getPoolId());
                latest.put(metrics.getEndpointId(), metrics);
            } else {
                String key = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
                if (record.value() == null) {
                    members.remove(key);
                } else {
                    members.put(key, topics.endpoints().valueSerde().deserializer()
                            .deserialize(record.topic(), record.value()));
                }
            }
        }
    }
}
