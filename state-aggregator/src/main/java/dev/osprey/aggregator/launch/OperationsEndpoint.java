package dev.osprey.aggregator.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.osprey.aggregator.StateAggregator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a platform needs from an aggregator process over HTTP: {@code GET /metrics}, the aggregator's and Kafka
 * Streams' meters as Prometheus text, and {@code GET /healthz}, 200 while the Streams application is running or
 * rebalancing and 503 naming its state otherwise (starting, failed, shutting down) — for a Kubernetes readiness
 * and liveness probe. Other paths answer 404, other methods 405. One daemon worker thread; close once.
 */
final class OperationsEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsEndpoint.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService worker;

    private OperationsEndpoint(HttpServer server, ExecutorService worker) {
        this.server = server;
        this.worker = worker;
    }

    /**
     * Binds {@code port} on all interfaces (0 picks a free port) and serves {@code meters} and the health of the
     * aggregator {@code aggregator} supplies (none yet while it starts).
     *
     * @throws IOException when the port cannot be bound
     */
    static OperationsEndpoint start(int port, PrometheusMeterRegistry meters, Supplier<StateAggregator> aggregator)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/", exchange -> answer(exchange, meters, aggregator));
        ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "osprey-aggregator-operations");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(worker);
        server.start();
        return new OperationsEndpoint(server, worker);
    }

    /** The bound port. */
    int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, PrometheusMeterRegistry meters,
            Supplier<StateAggregator> aggregator) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/healthz")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (path.equals("/metrics")) {
                send(exchange, 200, PROMETHEUS_TEXT, meters.scrape());
            } else {
                StateAggregator current = aggregator.get();
                KafkaStreams.State state = current == null ? null : current.state();
                boolean healthy = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
                send(exchange, healthy ? 200 : 503, "text/plain; charset=utf-8",
                        (state == null ? "STARTING" : state.name()) + "\n");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("answering {} failed: {}", exchange.getRequestURI(), e.toString());
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        worker.shutdownNow();
    }
}
