package dev.osprey.api;

import java.util.Map;

/**
 * One endpoint of a pool: a routable pod on one target port. {@code rank} is the port's index in the pool's
 * {@code targetPorts}.
 */
public record PoolEndpoint(String endpointId, String poolId, String podName, String address, int port, int rank,
        String engine, Map<String, String> labels) {

    public PoolEndpoint {
        labels = Map.copyOf(labels);
    }

    /** {@code ip:port}, IPv6 addresses in brackets: the form of {@code x-gateway-destination-endpoint}. */
    public String hostPort() {
        return ResourceIds.hostPort(address, port);
    }
}
