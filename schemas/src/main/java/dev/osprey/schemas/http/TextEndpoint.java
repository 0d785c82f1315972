package dev.osprey.schemas.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations pages of an Osprey process ({@code /metrics}, {@code /healthz}): fixed paths answered with text
 * computed per request, {@code GET} and {@code HEAD} only, on a JDK HTTP server with one daemon worker thread. Any
 * other path answers 404, any other method 405 ({@code Allow: GET, HEAD}). The collector, the aggregator and the EPP
 * serve their meters through it. Thread-safe; close once.
 */
public final class TextEndpoint implements AutoCloseable {

    /** The Prometheus text exposition format's content type. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Plain UTF-8 text. */
    public static final String PLAIN_TEXT = "text/plain; charset=utf-8";

    private static final Logger LOG = LoggerFactory.getLogger(TextEndpoint.class);

    /** One answer: status, content type and body. */
    public record Page(int status, String contentType, String text) {

        /** A 200 page of Prometheus text (e.g. {@code registry.scrape()}). */
        public static Page prometheus(String text) {
            return new Page(200, PROMETHEUS_TEXT, text);
        }
    }

    private final HttpServer server;
    private final ExecutorService worker;

    private TextEndpoint(HttpServer server, ExecutorService worker) {
        this.server = server;
        this.worker = worker;
    }

    /**
     * Binds {@code address} (port 0 picks a free one) and serves {@code pages}, each path's page computed when it is
     * asked for.
     *
     * @param threadName the worker thread's name (it shows in thread dumps and CPU breakdowns)
     * @throws IOException when the address cannot be bound
     */
    public static TextEndpoint start(InetSocketAddress address, String threadName, Map<String, Supplier<Page>> pages)
            throws IOException {
        Map<String, Supplier<Page>> paths = Map.copyOf(pages);
        HttpServer server = HttpServers.create(address, 16);
        server.createContext("/", exchange -> answer(exchange, paths));
        ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(worker);
        server.start();
        return new TextEndpoint(server, worker);
    }

    /** Serves {@code GET /metrics} from {@code scrape} (e.g. {@code registry::scrape}) on {@code address}. */
    public static TextEndpoint metrics(InetSocketAddress address, String threadName, Supplier<String> scrape)
            throws IOException {
        return start(address, threadName, Map.of("/metrics", () -> Page.prometheus(scrape.get())));
    }

    private static void answer(HttpExchange exchange, Map<String, Supplier<Page>> paths) {
        try (exchange) {
            Supplier<Page> page = paths.get(exchange.getRequestURI().getPath());
            String method = exchange.getRequestMethod();
            if (page == null) {
                exchange.sendResponseHeaders(404, -1);
            } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
            } else {
                Page answer = page.get();
                byte[] body = answer.text().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
                if ("HEAD".equals(method)) {
                    exchange.sendResponseHeaders(answer.status(), -1);
                } else {
                    exchange.sendResponseHeaders(answer.status(), body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("answering {} failed: {}", exchange.getRequestURI(), e.toString());
        }
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        worker.shutdownNow();
    }
}
