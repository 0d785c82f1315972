package dev.osprey.bench.extproc;

import com.sun.net.httpserver.HttpServer;
import dev.osprey.schemas.http.HttpServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/** An OTLP/HTTP endpoint that reads and counts what it is sent and answers 200, so exporting costs what it would. */
final class OtlpSink implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private OtlpSink(HttpServer server) {
        this.server = server;
    }

    static OtlpSink start() throws IOException {
        OtlpSink sink = new OtlpSink(HttpServers.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16));
        sink.server.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                sink.bytes.addAndGet(in.transferTo(OutputStream.nullOutputStream()));
            }
            sink.requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.server.start();
        return sink;
    }

    /** The base URL for {@code otel.exporter.otlp.endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long requests() {
        return requests.get();
    }

    long bytes() {
        return bytes.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
