package dev.osprey.collector;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/** A tiny loopback HTTP server answering {@code /metrics} with a fixed status and body, or holding the request. */
public final class PageServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<byte[]> body;
    private final int status;
    private final boolean hang;
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Set<InetSocketAddress> clients = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private PageServer(int status, byte[] body, boolean hang) {
        this.status = status;
        this.body = new AtomicReference<>(body);
        this.hang = hang;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/metrics", exchange -> {
            requests.incrementAndGet();
            clients.add(exchange.getRemoteAddress());
            try (exchange) {
                if (hang) {
                    release.await(30, TimeUnit.SECONDS);
                }
                byte[] bytes = this.body.get();
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
                exchange.sendResponseHeaders(this.status, bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    public static PageServer serving(byte[] body) {
        return new PageServer(200, body, false);
    }

    public static PageServer failing(int status) {
        return new PageServer(status, "internal error".getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
    }

    /** Holds every request until closed. */
    public static PageServer hanging() {
        return new PageServer(200, new byte[0], true);
    }

    public void setBody(byte[] bytes) {
        body.set(bytes);
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    /** Distinct client connections (remote address and port) that sent requests. */
    public int connections() {
        return clients.size();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
