package dev.osprey.allinone.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;
import dev.osprey.schemas.http.HttpServers;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * A local stand-in for Envoy: an HTTP/1.1 reverse proxy that calls the EPP over the real ext-proc gRPC protocol
 * for every request (headers, streamed body chunks, response phases) and forwards to the endpoint the EPP names
 * in {@code x-gateway-destination-endpoint}. Owns its HTTP server, gRPC channel and threads.
 */
public final class LocalGateway implements AutoCloseable {

    private final HttpServer server;
    private final ManagedChannel channel;
    private final ExecutorService workers;
    private final ExecutorService pumps;

    private LocalGateway(HttpServer server, ManagedChannel channel, ExecutorService workers, ExecutorService pumps) {
        this.server = server;
        this.channel = channel;
        this.workers = workers;
        this.pumps = pumps;
    }

    /**
     * Starts listening.
     *
     * @param failOpenEndpoints {@code ip:port} endpoints used when the EPP is unreachable and the failure mode is
     *     FailOpen; may return an empty list
     */
    public static LocalGateway start(GatewayConfig config, Supplier<List<String>> failOpenEndpoints)
            throws IOException {
        ManagedChannel channel = NettyChannelBuilder
                .forAddress(config.eppAddress().getHostString(), config.eppAddress().getPort())
                .usePlaintext().build();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(config.workerThreads(), r -> {
            Thread t = new Thread(r, "gateway-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        AtomicInteger pumpThreads = new AtomicInteger();
        ExecutorService pumps = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gateway-pump-" + pumpThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpServer server = HttpServers.create(config.listen(), 256);
        server.createContext("/", new ProxyHandler(config, channel, upstream, failOpenEndpoints, pumps));
        server.setExecutor(workers);
        server.start();
        return new LocalGateway(server, channel, workers, pumps);
    }

    /** The bound address (the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        channel.shutdown();
        workers.shutdown();
        try {
            if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.shutdownNow();
        }
        workers.shutdownNow();
        pumps.shutdownNow();
    }
}
