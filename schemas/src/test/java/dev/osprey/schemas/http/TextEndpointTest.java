package dev.osprey.schemas.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class TextEndpointTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(int port, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersEachPathWithItsPageComputedPerRequestAndRefusesTheRest() throws Exception {
        AtomicInteger scrapes = new AtomicInteger();
        Map<String, java.util.function.Supplier<TextEndpoint.Page>> pages = Map.of(
                "/metrics", () -> TextEndpoint.Page.prometheus("scrapes " + scrapes.incrementAndGet() + "\n"),
                "/healthz", () -> new TextEndpoint.Page(503, TextEndpoint.PLAIN_TEXT, "STARTING\n"));
        try (TextEndpoint endpoint = TextEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "test-endpoint", pages)) {
            HttpResponse<String> first = send(endpoint.port(), "GET", "/metrics");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).contains(TextEndpoint.PROMETHEUS_TEXT);
            assertThat(first.body()).isEqualTo("scrapes 1\n");
            assertThat(send(endpoint.port(), "GET", "/metrics").body()).isEqualTo("scrapes 2\n");

            HttpResponse<String> head = send(endpoint.port(), "HEAD", "/metrics");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();

            HttpResponse<String> health = send(endpoint.port(), "GET", "/healthz");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.headers().firstValue("Content-Type")).contains(TextEndpoint.PLAIN_TEXT);
            assertThat(health.body()).isEqualTo("STARTING\n");

            assertThat(send(endpoint.port(), "GET", "/metrics/other").statusCode()).isEqualTo(404);
            assertThat(send(endpoint.port(), "GET", "/").statusCode()).isEqualTo(404);
            HttpResponse<String> post = send(endpoint.port(), "POST", "/metrics");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        }
    }
}
