package dev.osprey.epp.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.launch.ChildJvm;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EPP as a process, started the way upstream's Deployment starts its picker. */
class EppMainIT {

    private static final String POOL = """
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata:
              name: pool
              namespace: ns
            spec:
              selector:
                matchLabels:
                  app: vllm
              targetPorts:
                - number: 8000
              endpointPickerRef:
                name: epp
                port:
                  number: 9002
            """;

    private static Process launch(List<String> args, Map<String, String> env, Path log) throws IOException {
        return ChildJvm.of(Main.class, "256m").start(args, env, log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aBadFlagExitsWithStatusTwoNamingIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Process p = launch(List.of("--pool-name", "pool", "--grpc-port", "ninety"),
                Map.of("OSPREY_EPP_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), log);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("osprey epp:", "osprey.epp.grpc-port");
    }

    @Test
    void startsWithUpstreamFlagsServesHealthAndMetricsAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TopicProvisioner.ensureTopics(kafka.bootstrapServers(), TopicNames.withPrefix("it-main."),
                    new TopicProvisioner.Layout(1, (short) 1));
            Path resources = Files.writeString(dir.resolve("pool.yaml"), POOL, StandardCharsets.UTF_8);
            int grpc = freePort();
            int health = freePort();
            int metrics = freePort();
            Path log = dir.resolve("out.log");
            Process p = launch(List.of("--pool-name", "pool", "--pool-namespace", "ns", "--grpc-port",
                    String.valueOf(grpc), "--grpc-health-port=" + health, "--metrics-port", String.valueOf(metrics),
                    "--secure-serving=false", "--zap-log-level", "debug", "--resources", resources.toString()),
                    Map.of("OSPREY_EPP_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                            "OSPREY_EPP_TOPIC_PREFIX", "it-main.", "OSPREY_EPP_SCHEMA_REGISTRY_URL", "mock://it-main",
                            "OSPREY_EPP_BIND_ADDRESS", "127.0.0.1"), log);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", health).usePlaintext().build();
            try {
                HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(stub.withDeadlineAfter(2, TimeUnit.SECONDS).check(
                                HealthCheckRequest.newBuilder().setService("envoy.service.ext_proc.v3.ExternalProcessor")
                                        .build()).getStatus()).isEqualTo(ServingStatus.SERVING));
                HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metrics + "/metrics")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.body()).contains("osprey_epp_pool_state_records_total");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                p.destroy(); // SIGTERM
                boolean exited = p.waitFor(30, TimeUnit.SECONDS);
                if (!exited) {
                    p.destroyForcibly();
                }
                assertThat(exited).as("stopped within 30 s of SIGTERM").isTrue();
            }
            assertThat(Files.readString(log)).contains("--zap-log-level=debug ignored", "stopping EPP");
        }
    }
}
