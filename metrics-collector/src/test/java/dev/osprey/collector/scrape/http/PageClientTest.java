package dev.osprey.collector.scrape.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.osprey.collector.scrape.http.ScriptedServer.ascii;
import static dev.osprey.collector.scrape.http.ScriptedServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

class PageClientTest {

    private static final int MAX_BODY = 256 * 1024;

    private final PageClient client = new PageClient(2, Duration.ofMillis(800), MAX_BODY, Duration.ofSeconds(30),
            "page-client-test");

    /** What a fetch ended with: a response (status and a copy of the body) or a failure. */
    private record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private static final ResponseHandler<Object> COPY = new ResponseHandler<>() {
        @Override
        public Object onResponse(int status, byte[] bytes, int from, int to) {
            return new Response(status, Arrays.copyOfRange(bytes, from, to));
        }

        @Override
        public Object onFailure(FetchFailure failure) {
            return failure;
        }
    };

    @AfterEach
    void close() {
        client.close();
    }

    private Object fetch(ScriptedServer server) throws Exception {
        return client.fetch(server.request(), 7, COPY).get(10, TimeUnit.SECONDS);
    }

    private Response response(ScriptedServer server) throws Exception {
        Object result = fetch(server);
        assertThat(result).isInstanceOf(Response.class);
        return (Response) result;
    }

    private FetchFailure failure(ScriptedServer server) throws Exception {
        Object result = fetch(server);
        assertThat(result).isInstanceOf(FetchFailure.class);
        return (FetchFailure) result;
    }

    @Test
    void reusesOneKeepAliveConnectionForSuccessiveFetches() throws Exception {
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> ok(out, ascii("page " + i)))) {
            for (int i = 0; i < 5; i++) {
                assertThat(response(server).text()).isEqualTo("page " + i);
            }
            assertThat(server.requests()).isEqualTo(5);
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void decodesAChunkedBodyWithExtensionsAndTrailers() throws Exception {
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
            out.write(ascii("5;name=value\r\nhello\r\n"));
            out.flush();
            out.write(ascii("1\r\n \r\n6\r\nworld!\r\n"));
            out.flush();
            out.write(ascii("0\r\nX-Trailer: yes\r\n\r\n"));
            out.flush();
        })) {
            assertThat(response(server).text()).isEqualTo("hello world!");
            assertThat(response(server).text()).isEqualTo("hello world!");
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void readsABodyThatEndsWhenTheServerCloses() throws Exception {
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> {
            out.write(ascii("HTTP/1.0 200 OK\r\n\r\nno length " + i));
            socket.close();
        })) {
            assertThat(response(server).text()).isEqualTo("no length 0");
            assertThat(response(server).text()).isEqualTo("no length 1");
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void readsALargeBodyArrivingInManyPieces() throws Exception {
        byte[] body = new byte[200 * 1024];
        new Random(42).nextBytes(body);
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n"));
            for (int p = 0; p < body.length; p += 7000) {
                out.write(body, p, Math.min(7000, body.length - p));
                out.flush();
            }
        })) {
            assertThat(response(server).body()).isEqualTo(body);
            assertThat(response(server).body()).isEqualTo(body);
        }
    }

    @Test
    void anUnansweredRequestTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            FetchFailure failure = failure(server);

            assertThat(failure.kind()).isEqualTo(FetchFailure.Kind.TIMEOUT);
            assertThat(failure.message()).contains("PT0.8S");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aBodyCutShortByTheServerIsAConnectFailure() throws Exception {
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a little"));
            out.flush();
            socket.close();
        })) {
            FetchFailure failure = failure(server);

            assertThat(failure.kind()).isEqualTo(FetchFailure.Kind.CONNECT);
            assertThat(failure.message()).contains("closed by the server");
        }
    }

    @Test
    void aKeepAliveConnectionTheServerClosedIsReplacedTransparently() throws Exception {
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> {
            ok(out, ascii("page " + i));
            socket.close();
        })) {
            for (int i = 0; i < 3; i++) {
                assertThat(response(server).text()).isEqualTo("page " + i);
            }
            assertThat(server.connections()).isEqualTo(3);
        }
    }

    @Test
    void theConnectionIsClosedWhenTheServerAsksForIt() throws Exception {
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));
            out.flush();
        })) {
            assertThat(response(server).text()).isEqualTo("ok");
            assertThat(response(server).text()).isEqualTo("ok");
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void oversizedBodiesAreRefusedWhateverTheirFraming() throws Exception {
        byte[] big = new byte[MAX_BODY + 1];
        try (ScriptedServer declared = new ScriptedServer((i, socket, out) -> ok(out, big));
                ScriptedServer chunked = new ScriptedServer((i, socket, out) -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
                    for (int n = 0; n < 40; n++) {
                        out.write(ascii(Integer.toHexString(10_000) + "\r\n"));
                        out.write(new byte[10_000]);
                        out.write(ascii("\r\n"));
                    }
                    out.write(ascii("0\r\n\r\n"));
                    out.flush();
                });
                ScriptedServer unframed = new ScriptedServer((i, socket, out) -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\n\r\n"));
                    out.write(big);
                    socket.close();
                })) {
            for (ScriptedServer server : new ScriptedServer[] {declared, chunked, unframed}) {
                FetchFailure failure = failure(server);
                assertThat(failure.kind()).isEqualTo(FetchFailure.Kind.TOO_LARGE);
                assertThat(failure.message()).contains("exceeds " + MAX_BODY);
            }
        }
    }

    @Test
    void errorStatusesAreResponsesAndKeepTheConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> {
            out.write(ascii("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"));
            out.flush();
        })) {
            assertThat(response(server).status()).isEqualTo(503);
            assertThat(response(server).text()).isEqualTo("busy");
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void bytesThatAreNotHttpAreAProtocolFailure() throws Exception {
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> {
            out.write(ascii("SSH-2.0-OpenSSH_9.0\r\n\r\n"));
            out.flush();
        })) {
            FetchFailure failure = failure(server);

            assertThat(failure.kind()).isEqualTo(FetchFailure.Kind.PROTOCOL);
            assertThat(failure.message()).contains("not an HTTP/1.x status line");
        }
    }

    @Test
    void aRefusedConnectionIsAConnectFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        Object result = client.fetch(new PageRequest("127.0.0.1", port, "127.0.0.1:" + port, "/metrics"), 1, COPY)
                .get(10, TimeUnit.SECONDS);

        assertThat(result).isInstanceOfSatisfying(FetchFailure.class,
                f -> assertThat(f.kind()).isEqualTo(FetchFailure.Kind.CONNECT));
    }

    @Test
    void closingTheClientEndsFetchesInFlightAndLaterOnes() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> answered.countDown())) {
            var inFlight = client.fetch(server.request(), 1, COPY);
            assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();

            client.close();

            assertThat(inFlight.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(FetchFailure.class,
                    f -> assertThat(f.kind()).isEqualTo(FetchFailure.Kind.CLOSED));
            assertThat(client.fetch(server.request(), 1, COPY).get(1, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(FetchFailure.class,
                            f -> assertThat(f.kind()).isEqualTo(FetchFailure.Kind.CLOSED));
        }
    }

    @Test
    void manyConcurrentFetchesAllComplete() throws Exception {
        try (ScriptedServer server = new ScriptedServer((i, socket, out) -> ok(out, ascii("x".repeat(5000))));
                PageClient patient = new PageClient(2, Duration.ofSeconds(10), MAX_BODY, Duration.ofSeconds(30),
                        "page-client-test-patient")) {
            var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Object>>();
            for (int i = 0; i < 50; i++) {
                futures.add(patient.fetch(server.request(), i, COPY));
            }
            for (var future : futures) {
                assertThat(future.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Response.class,
                        r -> assertThat(r.body()).hasSize(5000));
            }
            assertThat(server.connections()).isBetween(2, 50);
        }
    }

}
