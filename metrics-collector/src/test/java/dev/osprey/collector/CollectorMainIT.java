package dev.osprey.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osprey.collector.parse.Pages;
import dev.osprey.schemas.launch.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector as a process of its own: its exit statuses, its meters, and SIGTERM. */
class CollectorMainIT {

    @Test
    void aBadVariableExitsWithStatusTwoNamingIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Process process = launch(List.of("--resources", dir.resolve("r.yaml").toString()),
                Map.of("OSPREY_COLLECTOR_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "OSPREY_COLLECTOR_NOPE", "1"), log);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("osprey collector: OSPREY_COLLECTOR_NOPE");
    }

    @Test
    void aMissingResourceFileExitsWithStatusOne(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Process process = launch(List.of("--resources", dir.resolve("absent.yaml").toString()),
                Map.of("OSPREY_COLLECTOR_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), log);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(Files.readString(log)).contains("osprey collector failed to start", "absent.yaml");
    }

    @Test
    void scrapesServesItsMetersAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        try (PageServer vllm = PageServer.serving(Pages.bytes("vllm.txt"))) {
            Path resources = Files.writeString(dir.resolve("resources.yaml"), """
                    apiVersion: inference.networking.k8s.io/v1
                    kind: InferencePool
                    metadata: {name: llama, namespace: team-a}
                    spec:
                      selector: {matchLabels: {app: llama}}
                      targetPorts: [{number: %d}]
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: llama-0, namespace: team-a, labels: {app: llama}}
                    status:
                      podIP: 127.0.0.1
                      conditions: [{type: Ready, status: "True"}]
                    """.formatted(vllm.port()));
            int metricsPort = freePort();
            Path log = dir.resolve("out.log");
            // no broker: the collector scrapes and holds its samples until its topics are served
            Process process = launch(List.of("--resources", resources.toString()), Map.of(
                    "OSPREY_COLLECTOR_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                    "OSPREY_COLLECTOR_METRICS_PORT", String.valueOf(metricsPort)), log);
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(metrics(metricsPort))
                                .containsPattern("osprey_collector_scrapes_total\\{[^}]*status=\"ok\"[^}]*} [1-9]")
                                .contains("osprey_collector_publish_topics_served{"));
            } finally {
                process.destroy(); // SIGTERM
                boolean exited = process.waitFor(60, TimeUnit.SECONDS);
                if (!exited) {
                    process.destroyForcibly();
                }
                assertThat(exited).as("stopped within 60 s of SIGTERM").isTrue();
            }
            assertThat(Files.readString(log)).contains("stopping collector", "collector collector-0 closed");
        }
    }

    private static String metrics(int port) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Process launch(List<String> args, Map<String, String> environment, Path log) throws IOException {
        return ChildJvm.of(Main.class, "256m").clearing("OSPREY_COLLECTOR_").start(args, environment, log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
