package dev.osprey.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on real parts: broker, collector, aggregator, EPP over ext-proc, gateway, simulators. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AllInOneIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    private static AllInOne osprey;
    private static Set<Path> stateDirsBefore;

    @BeforeAll
    static void start() throws Exception {
        stateDirsBefore = aggregatorStateDirs();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.41"))) {
            port = probe.getLocalPort();
        }
        Path resources = PoolResourceFile.write(dir, "it", port);
        AllInOneConfig config = new AllInOneConfig(4, java.util.Optional.of(resources), java.util.Optional.empty(),
                "it", 0, 0, 0, -1, 0, "127.0.0.41", "test");
        osprey = AllInOne.start(config);
    }

    @AfterAll
    static void stop() {
        if (osprey != null) {
            osprey.close();
        }
    }

    @Test
    @Order(1)
    void routesEveryRequestThroughTheEppToASimulator() throws Exception {
        List<HttpResponse<String>> responses = sendConcurrently(200, 8);

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-osprey-served-by")).get().isIn(osprey.simulatorEndpoints());
            assertThat(r.body()).contains("\"usage\"");
        });
        assertThat(servedBy(responses).keySet()).as("load spreads over the pool").hasSizeGreaterThan(1);
    }

    @Test
    @Order(2)
    void sendsMeasurablyFewerRequestsToAHeavilyLoadedSimulator() throws Exception {
        String loaded = osprey.simulatorEndpoints().get(0);
        osprey.simulators().get(0).setBackgroundLoad(60);
        try {
            // The EPP learns of the load through scrape -> Kafka -> Streams -> Kafka; wait for it, bounded.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    !servedBy(sendConcurrently(20, 4)).containsKey(loaded));

            Map<String, Long> split = servedBy(sendConcurrently(200, 8));

            long toLoaded = split.getOrDefault(loaded, 0L);
            long fairShare = 200 / osprey.simulators().size();
            assertThat(toLoaded).as("requests to the loaded simulator, split %s", split).isLessThan(fairShare / 5);
            assertThat(split.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(200);
        } finally {
            osprey.simulators().get(0).setBackgroundLoad(0);
        }
    }

    @Test
    @Order(3)
    void malformedJsonGets400WithAReason() throws Exception {
        HttpResponse<String> response = post("{\"model\": \"it-llm\", \"prompt\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).containsIgnoringCase("json");
    }

    @Test
    @Order(4)
    void missingModelGets400NamingTheField() throws Exception {
        HttpResponse<String> response = post("{\"prompt\": \"hi\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("model");
    }

    private static Map<String, Long> servedBy(List<HttpResponse<String>> responses) {
        return responses.stream().filter(r -> r.statusCode() == 200)
                .map(r -> r.headers().firstValue("x-osprey-served-by").orElse("none"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    @Order(100)
    void closeDeletesTheAggregatorStateDirectory() throws Exception {
        Set<Path> created = aggregatorStateDirs();
        created.removeAll(stateDirsBefore);
        assertThat(created).as("the running all-in-one's aggregator state directory").hasSize(1);

        osprey.close();

        assertThat(created.iterator().next()).doesNotExist();
    }

    private static Set<Path> aggregatorStateDirs() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().matches("osprey-aggregator\\d+"))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    private static List<HttpResponse<String>> sendConcurrently(int requests, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int n = i;
                futures.add(pool.submit(() -> post(
                        "{\"model\": \"it-llm\", \"prompt\": \"request number " + n + "\", \"max_tokens\": 4}")));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpResponse<String> post(String body) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + osprey.gatewayAddress().getPort() + "/v1/completions");
        return CLIENT.send(HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
