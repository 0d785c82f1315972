package dev.osprey.collector;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.osprey.schemas.http.TextEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector's meters over its metrics endpoint, as {@link Main} serves them (HEAD, 404 and 405 are the shared
 * endpoint's, tested in the schemas module's {@code TextEndpointTest}).
 */
class MetricsEndpointTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheCollectorsMetersAsPrometheusText() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CollectorMetrics metrics = new CollectorMetrics(registry, "c-1");
        metrics.scraped(dev.osprey.schemas.avro.ScrapeStatus.OK, 1500);
        metrics.skippedOverlap();
        try (TextEndpoint endpoint = TextEndpoint.metrics(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Main.METRICS_THREAD, registry::scrape)) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(page.body()).contains("osprey_collector_scrapes_total{collector=\"c-1\",status=\"ok\"} 1.0")
                    .contains("osprey_collector_scrapes_skipped_total{collector=\"c-1\",reason=\"overlap\"} 1.0");
        } finally {
            metrics.close();
        }
    }
}
