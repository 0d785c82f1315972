package dev.osprey.collector.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.osprey.api.InferencePool;
import dev.osprey.api.PoolEndpoint;
import dev.osprey.api.ResourceSet;

/** A fixed set of endpoints: every pool's routable endpoints of a {@link ResourceSet}, computed once. Immutable. */
public final class StaticEndpointSource implements EndpointSource {

    private final List<PoolEndpoint> endpoints;

    private StaticEndpointSource(List<PoolEndpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    /**
     * The endpoints of all pools of {@code resources} in {@code cluster}. A pod selected by two pools on the same
     * port yields one endpoint per pool only if their ids differ; the first pool (in resource order) keeps the id.
     */
    public static StaticEndpointSource of(ResourceSet resources, String cluster) {
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(cluster, "cluster");
        Map<String, PoolEndpoint> byId = new LinkedHashMap<>();
        for (InferencePool pool : resources.pools()) {
            for (PoolEndpoint endpoint : resources.endpointsOf(pool, cluster)) {
                byId.putIfAbsent(endpoint.endpointId(), endpoint);
            }
        }
        return new StaticEndpointSource(new ArrayList<>(byId.values()));
    }

    /** Exactly these endpoints (tests and embedding code). */
    public static StaticEndpointSource of(List<PoolEndpoint> endpoints) {
        return new StaticEndpointSource(endpoints);
    }

    @Override
    public List<PoolEndpoint> endpoints() {
        return endpoints;
    }
}
