package dev.osprey.epp.state;

import dev.osprey.api.ResourceIds;
import java.util.List;
import java.util.Objects;

/**
 * The load picture of one endpoint in a {@link PoolSnapshot}. Immutable.
 *
 * @param endpointId {@code cluster/namespace/pod:port}
 * @param address IP address (IPv4 or IPv6, no brackets)
 * @param scrapeTimeMs wall-clock epoch millis of the scrape these numbers come from
 * @param metricsAgeMs age of those metrics when the snapshot was produced
 * @param peerInflight requests the <em>other</em> EPP replicas routed here and had not seen finish when the
 *     snapshot was produced (the aggregator's cross-replica in-flight count, this replica's own share left out
 *     because its local counters are fresher); 0 with a single replica
 */
public record EndpointSnapshot(String endpointId, String address, int port, int waitingRequests, int runningRequests,
        double kvCacheUtilization, EndpointHealth health, long scrapeTimeMs, long metricsAgeMs,
        List<String> runningAdapters, List<String> waitingAdapters, int maxLoraSlots, int peerInflight) {

    public EndpointSnapshot {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(health, "health");
        runningAdapters = List.copyOf(runningAdapters);
        waitingAdapters = List.copyOf(waitingAdapters);
        if (peerInflight < 0) {
            throw new IllegalArgumentException("peerInflight must not be negative, got " + peerInflight);
        }
    }

    /** Without other replicas' in-flight requests. */
    public EndpointSnapshot(String endpointId, String address, int port, int waitingRequests, int runningRequests,
            double kvCacheUtilization, EndpointHealth health, long scrapeTimeMs, long metricsAgeMs,
            List<String> runningAdapters, List<String> waitingAdapters, int maxLoraSlots) {
        this(endpointId, address, port, waitingRequests, runningRequests, kvCacheUtilization, health, scrapeTimeMs,
                metricsAgeMs, runningAdapters, waitingAdapters, maxLoraSlots, 0);
    }

    /** A healthy endpoint without adapters; for tests and simple sources. */
    public static EndpointSnapshot of(String endpointId, String address, int port, int waiting, int running,
            double kv, long scrapeTimeMs) {
        return new EndpointSnapshot(endpointId, address, port, waiting, running, kv, EndpointHealth.HEALTHY,
                scrapeTimeMs, 0, List.of(), List.of(), 0);
    }

    /** A copy with another health. */
    public EndpointSnapshot withHealth(EndpointHealth newHealth) {
        return new EndpointSnapshot(endpointId, address, port, waitingRequests, runningRequests, kvCacheUtilization,
                newHealth, scrapeTimeMs, metricsAgeMs, runningAdapters, waitingAdapters, maxLoraSlots, peerInflight);
    }

    /** A copy with another count of the other replicas' requests in flight. */
    public EndpointSnapshot withPeerInflight(int newPeerInflight) {
        return new EndpointSnapshot(endpointId, address, port, waitingRequests, runningRequests, kvCacheUtilization,
                health, scrapeTimeMs, metricsAgeMs, runningAdapters, waitingAdapters, maxLoraSlots, newPeerInflight);
    }

    /** {@code ip:port}, IPv6 in brackets. */
    public String hostPort() {
        return ResourceIds.hostPort(address, port);
    }
}
