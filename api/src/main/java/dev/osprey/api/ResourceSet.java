package dev.osprey.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An immutable set of resources as loaded from a file or a cluster, with the derived views every module needs:
 * a pool's endpoints and the model directory. The rewrites are kept oldest first (creation time, then
 * namespace/name), the order rule lookups take them in, so a lookup per request does not sort.
 */
public record ResourceSet(List<InferencePool> pools, List<InferenceModel> models, List<Pod> pods,
        List<InferenceObjective> objectives, List<InferenceModelRewrite> rewrites) {

    public ResourceSet {
        pools = List.copyOf(pools);
        models = List.copyOf(models);
        pods = List.copyOf(pods);
        objectives = List.copyOf(objectives);
        rewrites = rewrites.stream().sorted(OLDEST_FIRST).toList();
    }

    private static final Comparator<InferenceModelRewrite> OLDEST_FIRST = Comparator
            .comparing((InferenceModelRewrite r) -> r.meta().creationTimestamp())
            .thenComparing(r -> r.meta().namespace()).thenComparing(r -> r.meta().name());

    /** A set with pools, models and pods only. */
    public ResourceSet(List<InferencePool> pools, List<InferenceModel> models, List<Pod> pods) {
        this(pools, models, pods, List.of(), List.of());
    }

    /** The empty set. */
    public static ResourceSet empty() {
        return new ResourceSet(List.of(), List.of(), List.of());
    }

    /** A copy with {@code extra} pods added (the all-in-one adds its simulators this way). */
    public ResourceSet withPods(List<Pod> extra) {
        List<Pod> all = new ArrayList<>(pods);
        all.addAll(extra);
        return new ResourceSet(pools, models, all, objectives, rewrites);
    }

    /** The pool of that namespace and name. */
    public Optional<InferencePool> pool(String namespace, String name) {
        return pools.stream().filter(p -> p.meta().namespace().equals(namespace) && p.meta().name().equals(name))
                .findFirst();
    }

    /**
     * The routable endpoints of {@code pool}: pods in its namespace that match its selector, are Ready, have an IP
     * and are not terminating, one endpoint per target port, ordered by pod name then rank.
     */
    public List<PoolEndpoint> endpointsOf(InferencePool pool, String cluster) {
        List<PoolEndpoint> endpoints = new ArrayList<>();
        pods.stream()
                .filter(p -> p.meta().namespace().equals(pool.meta().namespace()))
                .filter(p -> pool.selects(p.meta().labels()))
                .filter(Pod::routable)
                .sorted(Comparator.comparing(p -> p.meta().name()))
                .forEach(pod -> {
                    for (int rank = 0; rank < pool.targetPorts().size(); rank++) {
                        int port = pool.targetPorts().get(rank);
                        endpoints.add(new PoolEndpoint(
                                ResourceIds.endpointId(cluster, pod.meta().namespace(), pod.meta().name(), port),
                                pool.poolId(cluster), pod.meta().name(), pod.podIp().orElseThrow(), port, rank,
                                pod.engine(), pod.meta().labels()));
                    }
                });
        return endpoints;
    }

    /**
     * The InferenceModel serving {@code modelName}; when several claim it, the oldest wins (then namespace/name,
     * so the answer is stable).
     */
    public Optional<InferenceModel> model(String modelName) {
        return models.stream().filter(m -> m.modelName().equals(modelName))
                .min(Comparator.comparing((InferenceModel m) -> m.meta().creationTimestamp())
                        .thenComparing(m -> m.meta().namespace()).thenComparing(m -> m.meta().name()));
    }

    /** The InferenceObjective of that namespace and name. */
    public Optional<InferenceObjective> objective(String namespace, String name) {
        return objectives.stream().filter(o -> o.meta().namespace().equals(namespace) && o.meta().name().equals(name))
                .findFirst();
    }

    /**
     * The first rewrite rule for {@code model} among the rewrites of pool {@code poolName} (or with no pool),
     * oldest rewrite first.
     */
    public Optional<ModelRewriteRule> rewriteRule(String poolName, String model) {
        for (InferenceModelRewrite rewrite : rewrites) {
            if (rewrite.poolRef().isEmpty() || rewrite.poolRef().equals(poolName)) {
                Optional<ModelRewriteRule> rule = rewrite.ruleFor(model);
                if (rule.isPresent()) {
                    return rule;
                }
            }
        }
        return Optional.empty();
    }
}
