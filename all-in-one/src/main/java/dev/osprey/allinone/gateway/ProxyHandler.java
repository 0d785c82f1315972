package dev.osprey.allinone.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.osprey.api.FailureMode;
import io.grpc.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one client request: streams it to the EPP over ext-proc (body chunk by chunk as it arrives) to learn
 * where to send it, forwards it to that endpoint (trying the listed fallbacks when a connection fails), streams
 * the response through the EPP chunk by chunk (see {@link ResponseStreamer}) and answers the client with
 * {@value #SERVED_BY_HEADER} naming the endpoint that served. When the EPP cannot be reached the pool's failure
 * mode decides: FailClose answers 503, FailOpen forwards to a random endpoint without the EPP.
 */
final class ProxyHandler implements HttpHandler {

    /** Response header naming the {@code ip:port} that served the request. */
    static final String SERVED_BY_HEADER = "x-osprey-served-by";
    static final String DESTINATION_HEADER = "x-gateway-destination-endpoint";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
    /** Hop-by-hop headers and those the HTTP client or server sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    private static final Set<String> NOT_FORWARDED = with(HOP_BY_HOP, DESTINATION_HEADER);
    private static final Set<String> NOT_RETURNED = with(HOP_BY_HOP, "date");

    private final GatewayConfig config;
    private final Channel epp;
    private final HttpClient upstream;
    private final Supplier<List<String>> failOpenEndpoints;
    private final ExecutorService pumps;

    ProxyHandler(GatewayConfig config, Channel epp, HttpClient upstream, Supplier<List<String>> failOpenEndpoints,
            ExecutorService pumps) {
        this.config = config;
        this.epp = epp;
        this.upstream = upstream;
        this.failOpenEndpoints = failOpenEndpoints;
        this.pumps = pumps;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = HeaderMaps.firstValues(exchange.getRequestHeaders());
            boolean hasBody = hasBody(headers);
            RecordingInput body = new RecordingInput(exchange.getRequestBody());
            String requestId = headers.computeIfAbsent("x-request-id", k -> UUID.randomUUID().toString());
            headers.put(":method", exchange.getRequestMethod());
            headers.put(":path", exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
            headers.put(":authority", headers.getOrDefault("host", "localhost"));
            headers.put(":scheme", "http");
            try {
                proxy(exchange, new LinkedHashMap<>(headers), body, hasBody);
            } catch (ExtProcException e) {
                LOG.warn("request {}: {}", requestId, e.getMessage());
                if (exchange.getResponseCode() != -1) {
                    return;
                }
                List<String> endpoints = failOpenEndpoints.get();
                if (config.failureMode() == FailureMode.FAIL_OPEN && !endpoints.isEmpty()) {
                    String endpoint = endpoints.get(ThreadLocalRandom.current().nextInt(endpoints.size()));
                    forwardWithoutEpp(exchange, headers, body.all(), endpoint);
                } else {
                    reply(exchange, 503, Map.of("content-type", "text/plain"),
                            ("endpoint picker unavailable: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** Whether the client sends a body (a positive content-length or a transfer encoding). */
    private static boolean hasBody(Map<String, String> headers) {
        String length = headers.get("content-length");
        if (length != null) {
            try {
                return Long.parseLong(length.trim()) > 0;
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return headers.containsKey("transfer-encoding");
    }

    private void proxy(HttpExchange exchange, Map<String, String> headers, RecordingInput body, boolean hasBody)
            throws IOException {
        try (ExtProcCall call = new ExtProcCall(epp, config.messageTimeout())) {
            ExtProcRequestPhase.Result request = ExtProcRequestPhase.request(call, headers, body, hasBody,
                    config.bodyChunkBytes());
            if (request instanceof ExtProcRequestPhase.Immediate immediate) {
                reply(exchange, immediate.status(), immediate.headers(), immediate.body());
                return;
            }
            ExtProcRequestPhase.Continue routed = (ExtProcRequestPhase.Continue) request;
            String destinations = routed.headers().get(DESTINATION_HEADER);
            if (destinations == null || destinations.isBlank()) {
                throw new ExtProcException("the EPP set no " + DESTINATION_HEADER, null);
            }
            Upstream served = forward(routed.headers(), routed.body(), List.of(destinations.split(",")));
            if (served == null) {
                reply(exchange, 503, Map.of("content-type", "text/plain"),
                        ("no endpoint reachable of " + destinations).getBytes(StandardCharsets.UTF_8));
                return;
            }
            ResponseStreamer.stream(call, served.response(), served.endpoint(), exchange,
                    Map.of(SERVED_BY_HEADER, served.endpoint()), config.bodyChunkBytes(), pumps);
        }
    }

    private record Upstream(String endpoint, HttpResponse<InputStream> response) { }

    /** Tries each endpoint in order until one accepts the connection; {@code null} when none did. */
    private Upstream forward(Map<String, String> headers, byte[] body, List<String> endpoints) throws IOException {
        for (String candidate : endpoints) {
            String endpoint = candidate.trim();
            try {
                return new Upstream(endpoint, send(headers, body, endpoint,
                        HttpResponse.BodyHandlers.ofInputStream()));
            } catch (ConnectException | HttpConnectTimeoutException e) {
                LOG.info("request {}: endpoint {} refused the connection; trying the next one",
                        headers.get("x-request-id"), endpoint);
            }
        }
        return null;
    }

    private void forwardWithoutEpp(HttpExchange exchange, Map<String, String> headers, byte[] body, String endpoint)
            throws IOException {
        HttpResponse<byte[]> response = send(headers, body, endpoint, HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> out = HeaderMaps.firstValues(response.headers().map());
        out.put(SERVED_BY_HEADER, endpoint);
        reply(exchange, response.statusCode(), out, response.body());
    }

    private <T> HttpResponse<T> send(Map<String, String> headers, byte[] body, String endpoint,
            HttpResponse.BodyHandler<T> handler) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + endpoint + headers.get(":path")))
                .timeout(config.upstreamTimeout())
                .method(headers.get(":method"), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            if (!name.startsWith(":") && !NOT_FORWARDED.contains(name)) {
                request.header(name, value);
            }
        });
        try {
            return upstream.send(request.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted forwarding to " + endpoint, e);
        }
    }

    /** Sets the client response headers, leaving out pseudo-headers, hop-by-hop headers, length and date. */
    static void copyHeaders(HttpExchange exchange, Map<String, String> headers) {
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith(":") && !NOT_RETURNED.contains(lower)) {
                exchange.getResponseHeaders().set(name, value);
            }
        });
    }

    static void reply(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        copyHeaders(exchange, headers);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Set<String> with(Set<String> base, String extra) {
        Set<String> all = new java.util.HashSet<>(base);
        all.add(extra);
        return Set.copyOf(all);
    }
}
