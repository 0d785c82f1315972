package dev.osprey.collector.discovery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.osprey.api.InferencePool;
import dev.osprey.api.PoolEndpoint;
import dev.osprey.api.ResourceSet;
import dev.osprey.api.ResourceSource;

/**
 * The endpoints of a changing {@link ResourceSource} (a resource file or Kubernetes discovery): the routable
 * endpoints of every pool, or only of the selected pools. Each call reads the source's newest set, so the collector's
 * periodic reconcile starts scraping new endpoints and stops (and tombstones) removed ones. The endpoints of one set
 * are computed once and cached until the set changes. Thread-safe.
 */
public final class ResourceEndpointSource implements EndpointSource {

    private record Cached(ResourceSet set, List<PoolEndpoint> endpoints) {
    }

    private final ResourceSource source;
    private final String cluster;
    private final Set<String> pools;
    private volatile Cached cached;

    /**
     * @param source  where the resources come from (not closed by this class)
     * @param cluster the cluster name put into endpoint ids
     * @param pools   {@code namespace/name} of the pools to follow; empty for every pool
     */
    public ResourceEndpointSource(ResourceSource source, String cluster, Set<String> pools) {
        this.source = Objects.requireNonNull(source, "source");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.pools = Set.copyOf(pools);
    }

    @Override
    public List<PoolEndpoint> endpoints() {
        ResourceSet set = source.current();
        Cached last = cached;
        if (last != null && last.set() == set) {
            return last.endpoints();
        }
        List<PoolEndpoint> endpoints = compute(set);
        cached = new Cached(set, endpoints);
        return endpoints;
    }

    private List<PoolEndpoint> compute(ResourceSet set) {
        Map<String, PoolEndpoint> byId = new LinkedHashMap<>();
        for (InferencePool pool : set.pools()) {
            if (pools.isEmpty() || pools.contains(pool.meta().namespace() + "/" + pool.meta().name())) {
                for (PoolEndpoint endpoint : set.endpointsOf(pool, cluster)) {
                    byId.putIfAbsent(endpoint.endpointId(), endpoint);
                }
            }
        }
        return List.copyOf(byId.values());
    }
}
