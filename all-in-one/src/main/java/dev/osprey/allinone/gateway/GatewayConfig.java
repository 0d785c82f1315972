package dev.osprey.allinone.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

import dev.osprey.api.FailureMode;

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
 */
public record GatewayConfig(InetSocketAddress listen, InetSocketAddress eppAddress, Duration messageTimeout,
        Duration upstreamTimeout, FailureMode failureMode, int bodyChunkBytes) {

    public GatewayConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(eppAddress, "eppAddress");
        Objects.requireNonNull(failureMode, "failureMode");
        if (bodyChunkBytes < 1) {
            throw new IllegalArgumentException("bodyChunkBytes must be positive, got " + bodyChunkBytes);
        }
    }

    /** Envoy-like defaults: 10 s per ext-proc message, 5 min upstream, FailClose, 64 KiB chunks. */
    public static GatewayConfig defaults(InetSocketAddress listen, InetSocketAddress eppAddress) {
        return new GatewayConfig(listen, eppAddress, Duration.ofSeconds(10), Duration.ofMinutes(5),
                FailureMode.FAIL_CLOSE, 64 * 1024);
    }
}
