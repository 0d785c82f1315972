package dev.osprey.allinone.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.osprey.allinone.AllInOne;
import dev.osprey.allinone.AllInOneConfig;
import dev.osprey.allinone.PoolResourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboard queries is one the code registers: the all-in-one runs the collector, the
 * aggregator and the EPP with one Prometheus registry served on the EPP's /metrics, so after some requests have
 * been routed its page lists the series the three processes export in production. Reading the live page (rather
 * than the meter-name constants, some of which are built at run time with tags, or the docs tables, which no test
 * keeps in sync) also checks the Prometheus suffixes the dashboard relies on ({@code _total}, {@code _seconds_bucket},
 * {@code _seconds_max}).
 */
class DashboardMetricsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve(DashboardQueries.FILE))) {
            root = root.getParent();
        }
        Set<String> wanted = DashboardQueries.load(root).metrics();
        assertThat(wanted).as("metrics the dashboard reads").hasSizeGreaterThan(20);

        int simulatorPort = freePort("127.0.0.61");
        int metricsPort = freePort("127.0.0.1");
        Path resources = PoolResourceFile.write(dir, "dash", simulatorPort);
        AllInOneConfig config = new AllInOneConfig(2, Optional.of(resources), Optional.empty(), "dash", 0, 0, 0,
                metricsPort, 0, "127.0.0.61", "test");
        try (AllInOne osprey = AllInOne.start(config)) {
            osprey.awaitHealthyEndpoints(2, Duration.ofSeconds(30));
            InetSocketAddress gateway = osprey.gatewayAddress();
            URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
            // Some series appear with their first event (per-model counters, the end-to-end latency of a sample).
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + gateway.getPort() + "/v1/completions")).header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"dash-llm\",\"prompt\":\"hello\",\"max_tokens\":4}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
                assertThat(exported(metrics)).as("series on " + metrics).containsAll(wanted);
            });
        }
    }

    private static Set<String> exported(URI metrics) throws Exception {
        String page = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        Set<String> names = new TreeSet<>();
        for (String line : page.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{');
            names.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
        }
        return names;
    }

    private static int freePort(String address) throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return probe.getLocalPort();
        }
    }
}
