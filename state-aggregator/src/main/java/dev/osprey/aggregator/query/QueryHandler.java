package dev.osprey.aggregator.query;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.osprey.aggregator.topology.AggregatorTopology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link QueryRoute}s: answers from local stores when this instance owns the pool, otherwise forwards once
 * to the owner; while ownership is unknown (rebalancing) or stores are not queryable it retries until the query
 * timeout, then answers 503. Status codes: 200 found, 404 unknown path or key, 405 not GET, 503 not available
 * now, 500 unexpected failure. Every answer is JSON and carries {@value #SERVED_BY} naming the instance whose
 * stores answered (or that gave up). Thread-safe.
 */
final class QueryHandler implements HttpHandler {

    /** Response header naming the {@code host:port} of the instance whose stores answered. */
    static final String SERVED_BY = "X-Osprey-Served-By";
    /** Request header marking a forwarded query, which is never forwarded again. */
    static final String FORWARDED = "X-Osprey-Forwarded";

    private static final Logger LOG = LoggerFactory.getLogger(QueryHandler.class);
    private static final long MAX_BACKOFF_MS = 200;

    private final StateLocator locator;
    private final LocalReader reader;
    private final HostInfo self;
    private final Duration timeout;
    private final HttpClient client;
    private final ObjectMapper mapper = new ObjectMapper();

    QueryHandler(StateLocator locator, LocalReader reader, HostInfo self, Duration timeout) {
        this.locator = locator;
        this.reader = reader;
        this.self = self;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, error("only GET is supported"));
                return;
            }
            Optional<QueryRoute> route = QueryRoute.parse(exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery());
            if (route.isEmpty()) {
                respond(exchange, 404, error("no such path; use /pools/{poolId}, /pools/{poolId}/endpoints/{id} or"
                        + " /pools/{poolId}/adapters/{name} or /pools/{poolId}/prefixes?hashes=h1,h2 with ids percent-encoded"));
                return;
            }
            boolean forwarded = exchange.getRequestHeaders().containsKey(FORWARDED);
            answer(exchange, route.get(), forwarded);
        } catch (RuntimeException e) {
            LOG.error("query {} failed", exchange.getRequestURI(), e);
            respond(exchange, 500, error("internal error: " + e));
        }
    }

    private void answer(HttpExchange exchange, QueryRoute route, boolean forwarded) throws IOException {
        long deadline = System.nanoTime() + (forwarded ? timeout.dividedBy(2) : timeout).toNanos();
        long backoffMs = 10;
        String lastReason = "not attempted";
        while (true) {
            KeyLocation location = locator.locate(AggregatorTopology.POOL_LOAD_STORE, route.poolId());
            if (location instanceof KeyLocation.Local local) {
                try {
                    Optional<JsonNode> found = reader.read(route, local.partition(), System.currentTimeMillis());
                    if (found.isPresent()) {
                        respond(exchange, 200, found.get());
                    } else {
                        respond(exchange, 404, error("not found").put("poolId", route.poolId()));
                    }
                    return;
                } catch (InvalidStateStoreException e) {
                    lastReason = "stores not queryable: " + e.getMessage();
                }
            } else if (location instanceof KeyLocation.Remote remote) {
                if (forwarded) {
                    lastReason = "forwarded here but owned by " + hostPort(remote.host());
                } else {
                    Optional<HttpResponse<byte[]>> answer = forward(remote.host(), route);
                    if (answer.isPresent()) {
                        relay(exchange, answer.get());
                        return;
                    }
                    lastReason = "owner " + hostPort(remote.host()) + " did not answer";
                }
            } else if (location instanceof KeyLocation.Unavailable unavailable) {
                lastReason = unavailable.reason();
            } else if (location instanceof KeyLocation.UnknownStore unknown) {
                respond(exchange, 500, error("unknown store " + unknown.storeName()));
                return;
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) > deadline || !pause(backoffMs)) {
                respond(exchange, 503, error("state not available: " + lastReason).put("poolId", route.poolId()));
                return;
            }
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
    }

    /** The owner's answer, or empty when it could not be reached or was not ready (503), so the caller retries. */
    private Optional<HttpResponse<byte[]>> forward(HostInfo owner, QueryRoute route) {
        URI uri = URI.create("http://" + hostPort(owner) + route.path());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header(FORWARDED, hostPort(self)).GET()
                .build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 503) {
                return Optional.empty();
            }
            return Optional.of(response);
        } catch (IOException e) {
            LOG.debug("forwarding {} to {} failed: {}", route.path(), owner, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static String hostPort(HostInfo host) {
        return hostForUri(host.host()) + ":" + host.port();
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static boolean pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.headers().firstValue(SERVED_BY).ifPresent(v -> exchange.getResponseHeaders().set(SERVED_BY, v));
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set(SERVED_BY, hostPort(self));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private ObjectNode error(String message) {
        return mapper.createObjectNode().put("error", message);
    }
}
