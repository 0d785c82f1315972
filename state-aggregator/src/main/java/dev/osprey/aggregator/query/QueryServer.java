package dev.osprey.aggregator.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.osprey.schemas.http.HttpServers;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The HTTP/JSON query API of one instance (JDK HTTP server). Lifecycle: {@link #bind} first, so the actual port is
 * known before Kafka Streams is configured with it as {@code application.server}; then {@link #start} once the
 * {@link KafkaStreams} exists; {@link #close} last. Thread-safe.
 */
public final class QueryServer implements AutoCloseable {

    private static final int THREADS = 4;

    private final HttpServer server;
    private final HostInfo advertised;
    private final ExecutorService executor;

    private QueryServer(HttpServer server, HostInfo advertised) {
        this.server = server;
        this.advertised = advertised;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "osprey-aggregator-query-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Binds a listening socket at {@code host:port} ({@code port} 0 picks a free one); not serving yet.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static QueryServer bind(String host, int port) {
        try {
            HttpServer server = HttpServers.create(new InetSocketAddress(host, port), 64);
            return new QueryServer(server, new HostInfo(host, server.getAddress().getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the query API to " + host + ":" + port, e);
        }
    }

    /** The {@code host:port} to advertise as {@code application.server}: the configured host, the bound port. */
    public HostInfo advertised() {
        return advertised;
    }

    /** The base URI of this API. */
    public URI uri() {
        return URI.create("http://" + QueryHandler.hostPort(advertised));
    }

    /** Starts serving queries against {@code streams}. */
    public void start(KafkaStreams streams, String cluster, Duration staleness, Duration queryTimeout,
            Duration prefixTtl, int prefixMaxBlocks) {
        QueryHandler handler = new QueryHandler(new StateLocator(streams, advertised),
                new LocalReader(streams, cluster, staleness.toMillis(), prefixTtl.toMillis(), prefixMaxBlocks), advertised, queryTimeout);
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
    }

    /** Stops accepting queries at once (queries are idempotent reads; clients retry) and stops the threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
