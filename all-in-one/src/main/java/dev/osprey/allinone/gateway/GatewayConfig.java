package dev.osprey.allinone.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

import dev.osprey.api.EndpointPickerRef;
import dev.osprey.api.FailureMode;
import dev.osprey.api.InferencePool;

/**
 * Settings of the local gateway.
 *
 * @param listen where clients connect (port 0 picks a free port)
 * @param eppAddress the EPP's ext-proc gRPC address
 * @param messageTimeout how long to wait for each ext-proc reply (Envoy's {@code message_timeout})
 * @param upstreamTimeout how long a model server may take to answer
 * @param failureMode what to do when the EPP cannot be reached: FailClose answers 503, FailOpen routes to a
 *     random endpoint of {@code fallbackEndpoints}
 * @param bodyChunkBytes the size of request and response body chunks sent to the EPP
 * @param workerThreads requests handled at once; each holds a thread until its response has been streamed, and
 *     further requests wait in the gateway's accept queue (before the EPP sees them)
 */
public record GatewayConfig(InetSocketAddress listen, InetSocketAddress eppAddress, Duration messageTimeout,
        Duration upstreamTimeout, FailureMode failureMode, int bodyChunkBytes, int workerThreads) {

    /** Default of {@link #workerThreads}. */
    public static final int DEFAULT_WORKER_THREADS = 64;

    public GatewayConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(eppAddress, "eppAddress");
        Objects.requireNonNull(failureMode, "failureMode");
        if (bodyChunkBytes < 1) {
            throw new IllegalArgumentException("bodyChunkBytes must be positive, got " + bodyChunkBytes);
        }
        if (workerThreads < 1 || workerThreads > 10_000) {
            throw new IllegalArgumentException("--gateway-threads must be between 1 and 10000, got " + workerThreads);
        }
    }

    /** A copy with {@code mode} as the failure mode. */
    public GatewayConfig withFailureMode(FailureMode mode) {
        return new GatewayConfig(listen, eppAddress, messageTimeout, upstreamTimeout, mode, bodyChunkBytes,
                workerThreads);
    }

    /** A copy with {@code bytes} as the body chunk size. */
    public GatewayConfig withBodyChunkBytes(int bytes) {
        return new GatewayConfig(listen, eppAddress, messageTimeout, upstreamTimeout, failureMode, bytes,
                workerThreads);
    }

    /** A copy handling up to {@code threads} requests at once. */
    public GatewayConfig withWorkerThreads(int threads) {
        return new GatewayConfig(listen, eppAddress, messageTimeout, upstreamTimeout, failureMode, bodyChunkBytes,
                threads);
    }

    /** The failure mode of {@code pool}'s {@code endpointPickerRef} (FailClose when it has none). */
    public static FailureMode failureModeOf(InferencePool pool) {
        return pool.endpointPickerRef().map(EndpointPickerRef::failureMode).orElse(FailureMode.FAIL_CLOSE);
    }

    /** Envoy-like defaults: 10 s per ext-proc message, 5 min upstream, FailClose, 64 KiB chunks, 64 workers. */
    public static GatewayConfig defaults(InetSocketAddress listen, InetSocketAddress eppAddress) {
        return new GatewayConfig(listen, eppAddress, Duration.ofSeconds(10), Duration.ofMinutes(5),
                FailureMode.FAIL_CLOSE, 64 * 1024, DEFAULT_WORKER_THREADS);
    }
}
