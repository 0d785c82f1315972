package dev.osprey.aggregator.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.osprey.aggregator.topology.Samples;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.launch.ChildJvm;
import dev.osprey.schemas.registry.InMemorySchemaRegistry;
import dev.osprey.schemas.registry.SchemaRegistries;
import dev.osprey.schemas.registry.SchemaRegistryServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aggregator as a process of its own: configured by file and environment, healthy, stopped by SIGTERM. */
class AggregatorMainIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aConfigurationErrorExitsWithStatusTwoNamingTheKey(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Process process = launch(List.of("--metrics-port", "-1"), Map.of("OSPREY_AGGREGATOR_BOOTSTRAP_SERVERS",
                "127.0.0.1:1", "OSPREY_AGGREGATOR_COMMIT_INTERVAL_MS", "often"), log);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("osprey aggregator: osprey.aggregator.commit.interval.ms");
    }

    @Test
    void foldsSamplesServesHealthAndMetricsAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        InMemorySchemaRegistry schemas = SchemaRegistries.mockScope("it-aggregator-main");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                SchemaRegistryServer registry = SchemaRegistryServer.start(schemas,
                        new InetSocketAddress("127.0.0.1", 0))) {
            Path config = Files.writeString(dir.resolve("aggregator.properties"), String.join("\n",
                    "osprey.aggregator.bootstrap.servers=" + kafka.bootstrapServers(),
                    "osprey.aggregator.application.id=it-aggregator-main",
                    "osprey.aggregator.topic.prefix=it-main.",
                    "osprey.aggregator.state.dir=" + dir.resolve("state"), ""));
            int operations = freePort();
            Path log = dir.resolve("out.log");
            Process process = launch(List.of("--config", config.toString(), "--metrics-port",
                    String.valueOf(operations)), Map.of("OSPREY_AGGREGATOR_SCHEMA_REGISTRY_URL",
                    registry.url().toString(), "OSPREY_AGGREGATOR_CLUSTER", "c1"), log);
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(get(operations, "/healthz").statusCode()).isEqualTo(200));

                OspreyTopics topics = OspreyTopics.create(TopicNames.withPrefix("it-main."), schemas);
                EndpointMetrics sample = Samples.ok("c1/ns/pool", "pod-a", System.currentTimeMillis())
                        .setWaitingRequests(7).build();
                try (KafkaProducer<String, EndpointMetrics> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        topics.endpointMetrics().keySerde().serializer(),
                        topics.endpointMetrics().valueSerde().serializer());
                        KafkaConsumer<String, PoolState> consumer = new KafkaConsumer<>(Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG, "it-main-reader",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                                topics.poolState().keySerde().deserializer(),
                                topics.poolState().valueSerde().deserializer())) {
                    producer.send(new ProducerRecord<>(topics.endpointMetrics().name(), sample.getPoolId(), sample));
                    producer.flush();
                    consumer.subscribe(List.of(topics.poolState().name()));
                    List<PoolState> states = new ArrayList<>();
                    await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
                        for (ConsumerRecord<String, PoolState> record : consumer.poll(Duration.ofMillis(200))) {
                            states.add(record.value());
                        }
                        return !states.isEmpty();
                    });
                    assertThat(states.get(0).getCluster()).isEqualTo("c1");
                    assertThat(states.get(0).getEndpoints()).singleElement()
                            .satisfies(e -> assertThat(e.getWaitingRequests()).isEqualTo(7));
                }
                HttpResponse<String> metrics = get(operations, "/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body()).contains("osprey_aggregator_samples_total",
                        "kafka_stream_thread_process_total");
                assertThat(get(operations, "/other").statusCode()).isEqualTo(404);
            } finally {
                process.destroy(); // SIGTERM
                boolean exited = process.waitFor(60, TimeUnit.SECONDS);
                if (!exited) {
                    process.destroyForcibly();
                }
                assertThat(exited).as("stopped within 60 s of SIGTERM").isTrue();
            }
            assertThat(Files.readString(log)).contains("stopping aggregator it-aggregator-main",
                    "aggregator it-aggregator-main closed");
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Process launch(List<String> args, Map<String, String> environment, Path log) throws IOException {
        return ChildJvm.of(Main.class, "256m").clearing(ConfigurationSources.ENVIRONMENT_PREFIX)
                .start(args, environment, log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
