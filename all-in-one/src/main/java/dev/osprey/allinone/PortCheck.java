package dev.osprey.allinone;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fails the all-in-one's start at once, naming the flag, when one of its fixed loopback ports is already taken
 * (another all-in-one, a local Kafka UI on 8080...), instead of after the broker has started and with only the
 * JDK's "Address already in use". Port 0 (ephemeral) and a disabled metrics port are not checked. A port taken in
 * the moment between this check and the real bind still fails the start, with the JDK's message.
 */
final class PortCheck {

    private PortCheck() {
    }

    /** The fixed ports of {@code config}, by the flag that sets each, with what listens there. */
    static Map<String, Integer> ports(AllInOneConfig config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--gateway-port (the local gateway)", config.gatewayPort());
        ports.put("--grpc-port (the EPP's ext-proc)", config.grpcPort());
        ports.put("--health-port (the EPP's gRPC health)", config.healthPort());
        ports.put("--metrics-port (Prometheus /metrics)", config.metricsPort());
        ports.put("--registry-port (the schema registry)", config.registryPort());
        ports.values().removeIf(port -> port <= 0);
        return ports;
    }

    /**
     * @throws BindException naming the first port of {@link #ports} that cannot be bound on the loopback address
     */
    static void requireFree(AllInOneConfig config) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (Map.Entry<String, Integer> entry : ports(config).entrySet()) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(loopback, entry.getValue()));
            } catch (BindException e) {
                throw new BindException("port " + entry.getValue() + " on " + loopback.getHostAddress() + ", "
                        + entry.getKey() + ", is already in use: stop what holds it or choose another port with "
                        + entry.getKey().substring(0, entry.getKey().indexOf(' ')));
            }
        }
    }
}
