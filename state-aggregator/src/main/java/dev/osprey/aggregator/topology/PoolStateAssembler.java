package dev.osprey.aggregator.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.osprey.schemas.avro.EndpointHealth;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.avro.ScrapeStatus;

/** Builds a {@link PoolState} from the latest samples of a pool's endpoints. Pure and thread-safe. */
public final class PoolStateAssembler {

    private PoolStateAssembler() {
    }

    /**
     * Assembles one pool's state.
     *
     * @param samples the newest sample of each endpoint, in the order the endpoints should appear
     * @param inflightByHostPort in-flight requests per EPP replica for an endpoint's {@code ip:port} (IPv6 in
     *     brackets); returns an empty map when none are known
     */
    public static PoolState assemble(String cluster, String poolId, long version, long producedAtMs,
            List<EndpointMetrics> samples, long stalenessThresholdMs,
            Function<String, Map<String, Integer>> inflightByHostPort) {
        List<EndpointState> endpoints = new ArrayList<>(samples.size());
        for (EndpointMetrics sample : samples) {
            endpoints.add(endpointState(sample, producedAtMs, stalenessThresholdMs,
                    inflightByHostPort.apply(hostPort(sample.getAddress(), sample.getPort()))));
        }
        return PoolState.newBuilder().setCluster(cluster).setPoolId(poolId).setVersion(version)
                .setProducedAtMs(producedAtMs).setEndpoints(endpoints).build();
    }

    /** The health an endpoint's newest sample implies at {@code nowMs}. */
    public static EndpointHealth health(EndpointMetrics sample, long nowMs, long stalenessThresholdMs) {
        if (sample.getStatus() != ScrapeStatus.OK) {
            return EndpointHealth.UNHEALTHY;
        }
        return nowMs - sample.getScrapeTimeMs() > stalenessThresholdMs ? EndpointHealth.STALE : EndpointHealth.HEALTHY;
    }

    /** {@code ip:port}, with an IPv6 address in brackets, as routing decisions name endpoints. */
    public static String hostPort(String address, int port) {
        return (address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address) + ":" + port;
    }

    /** One endpoint's state as of {@code producedAtMs}; built with the all-args constructor (no builder copies). */
    static EndpointState endpointState(EndpointMetrics sample, long producedAtMs, long stalenessThresholdMs,
            Map<String, Integer> inflight) {
        return new EndpointState(sample.getEndpointId(), sample.getAddress(), sample.getPort(), sample.getEngine(),
                health(sample, producedAtMs, stalenessThresholdMs), sample.getStatusMessage(), sample.getScrapeTimeMs(),
                Math.max(0, producedAtMs - sample.getScrapeTimeMs()), sample.getWaitingRequests(),
                sample.getRunningRequests(), sample.getKvCacheUtilization(),
                List.copyOf(sample.getRunningLoraAdapters()), List.copyOf(sample.getWaitingLoraAdapters()),
                sample.getMaxLoraSlots(), Map.copyOf(inflight));
    }
}
