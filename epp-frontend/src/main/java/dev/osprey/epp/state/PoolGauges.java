package dev.osprey.epp.state;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Upstream's pool gauges computed from the current snapshot at scrape time, over HEALTHY endpoints, label
 * {@code name} = pool name: {@code inference_pool_average_kv_cache_utilization},
 * {@code inference_pool_average_queue_size}, {@code inference_pool_average_running_requests} and
 * {@code inference_pool_ready_pods}.
 */
public final class PoolGauges {

    private PoolGauges() {
    }

    public static void register(MeterRegistry registry, PoolSnapshotSource snapshots, String poolName) {
        gauge(registry, "inference_pool_average_kv_cache_utilization", "Average KV-cache utilization (0-1)",
                snapshots, poolName, eps -> average(eps, EndpointSnapshot::kvCacheUtilization));
        gauge(registry, "inference_pool_average_queue_size", "Average waiting requests per endpoint",
                snapshots, poolName, eps -> average(eps, EndpointSnapshot::waitingRequests));
        gauge(registry, "inference_pool_average_running_requests", "Average running requests per endpoint",
                snapshots, poolName, eps -> average(eps, EndpointSnapshot::runningRequests));
        gauge(registry, "inference_pool_ready_pods", "Endpoints with fresh, healthy metrics",
                snapshots, poolName, List::size);
    }

    private static void gauge(MeterRegistry registry, String name, String description, PoolSnapshotSource snapshots,
            String poolName, ToDoubleFunction<List<EndpointSnapshot>> f) {
        Gauge.builder(name, snapshots, s -> f.applyAsDouble(healthy(s)))
                .description(description).tag("name", poolName).strongReference(true).register(registry);
    }

    private static List<EndpointSnapshot> healthy(PoolSnapshotSource s) {
        return s.current().map(p -> p.endpoints().stream().filter(e -> e.health() == EndpointHealth.HEALTHY)
                .toList()).orElse(List.of());
    }

    private static double average(List<EndpointSnapshot> eps, ToDoubleFunction<EndpointSnapshot> f) {
        return eps.stream().mapToDouble(f).average().orElse(0);
    }
}
