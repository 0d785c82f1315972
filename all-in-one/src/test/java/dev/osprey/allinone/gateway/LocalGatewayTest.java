package dev.osprey.allinone.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.osprey.api.FailureMode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The local gateway against a fake ext-proc server and fake model servers over loopback. */
class LocalGatewayTest {

    private final List<AutoCloseable> owned = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void close() throws Exception {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
    }

    /** A model server that answers with two SSE events, the second only after {@code release} opens. */
    private HttpServer sseServer(CountDownLatch release, AtomicInteger bodyBytes) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        s.createContext("/", ex -> {
            try (ex; InputStream in = ex.getRequestBody()) {
                bodyBytes.set(in.readAllBytes().length);
                ex.getResponseHeaders().set("content-type", "text/event-stream");
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write("data: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.write("data: {\"n\":2}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        s.start();
        owned.add(() -> s.stop(0));
        return s;
    }

    private HttpServer plainServer(String answer) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        s.createContext("/", ex -> {
            try (ex; InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
                byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        s.start();
        owned.add(() -> s.stop(0));
        return s;
    }

    private LocalGateway gateway(int eppPort, FailureMode mode, List<String> failOpen) throws Exception {
        LocalGateway g = LocalGateway.start(GatewayConfig.defaults(new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", eppPort)).withFailureMode(mode).withBodyChunkBytes(4096),
                () -> failOpen);
        owned.add(g);
        return g;
    }

    private FakeExtProc epp() throws Exception {
        FakeExtProc f = new FakeExtProc();
        owned.add(f);
        return f;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private HttpRequest post(LocalGateway g, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.address().getPort() + "/v1/completions"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void streamsRequestChunksAndEachSseEventReachesTheClientAsItArrives() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger upstreamBytes = new AtomicInteger();
        HttpServer model = sseServer(release, upstreamBytes);
        FakeExtProc epp = epp();
        String endpoint = "127.0.0.1:" + model.getAddress().getPort();
        epp.routeTo(endpoint);
        LocalGateway g = gateway(epp.port(), FailureMode.FAIL_CLOSE, List.of());
        String body = "{\"model\":\"m\",\"prompt\":\"" + "x".repeat(50_000) + "\"}";

        HttpResponse<InputStream> response = client.send(post(g, body), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(ProxyHandler.SERVED_BY_HEADER)).contains(endpoint);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).as("first event before the model server sent the second")
                    .isEqualTo("data: {\"n\":1}");
            release.countDown();
            assertThat(reader.readLine()).isEmpty();
            assertThat(reader.readLine()).isEqualTo("data: {\"n\":2}");
        }
        assertThat(upstreamBytes.get()).isEqualTo(body.length());
        assertThat(epp.requestBodyChunks.get()).as("body sent in chunks of at most 4 KiB").isGreaterThan(12);
        assertThat(epp.servedReports).isNotEmpty().allMatch(endpoint::equals);
    }

    @Test
    void triesTheNextEndpointWhenTheFirstRefusesTheConnection() throws Exception {
        HttpServer model = plainServer("{\"ok\":true}");
        FakeExtProc epp = epp();
        String good = "127.0.0.1:" + model.getAddress().getPort();
        epp.routeTo("127.0.0.1:" + closedPort() + "," + good);
        LocalGateway g = gateway(epp.port(), FailureMode.FAIL_CLOSE, List.of());

        HttpResponse<String> response = client.send(post(g, "{\"model\":\"m\",\"prompt\":\"p\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
        assertThat(response.headers().firstValue(ProxyHandler.SERVED_BY_HEADER)).contains(good);
        assertThat(epp.servedReports).isNotEmpty().allMatch(good::equals);
    }

    @Test
    void unreachableEppFailsClosedWith503OrOpenToAnEndpoint() throws Exception {
        HttpServer model = plainServer("served without the EPP");
        String endpoint = "127.0.0.1:" + model.getAddress().getPort();
        int noEpp = closedPort();

        LocalGateway closed = gateway(noEpp, FailureMode.FAIL_CLOSE, List.of(endpoint));
        HttpResponse<String> refused = client.send(post(closed, "{\"model\":\"m\",\"prompt\":\"p\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);

        LocalGateway open = gateway(noEpp, FailureMode.FAIL_OPEN, List.of(endpoint));
        HttpResponse<String> served = client.send(post(open, "{\"model\":\"m\",\"prompt\":\"p\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo("served without the EPP");
        assertThat(served.headers().firstValue(ProxyHandler.SERVED_BY_HEADER)).contains(endpoint);
    }

    @Test
    void failureModeComesFromThePoolsEndpointPickerRef() {
        var meta = new dev.osprey.api.ResourceMeta("p", "ns", java.time.Instant.EPOCH, java.util.Map.of());
        var open = new dev.osprey.api.InferencePool(meta, "inference.networking.k8s.io/v1", java.util.Map.of("a", "b"),
                List.of(8000), "http", java.util.Optional.of(new dev.osprey.api.EndpointPickerRef("epp", 9002,
                        FailureMode.FAIL_OPEN)));
        var none = new dev.osprey.api.InferencePool(meta, "inference.networking.k8s.io/v1", java.util.Map.of("a", "b"),
                List.of(8000), "http", java.util.Optional.empty());
        assertThat(GatewayConfig.failureModeOf(open)).isEqualTo(FailureMode.FAIL_OPEN);
        assertThat(GatewayConfig.failureModeOf(none)).isEqualTo(FailureMode.FAIL_CLOSE);
    }
}
