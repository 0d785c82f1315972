package dev.osprey.epp.request;

import dev.osprey.api.InferenceObjective;
import dev.osprey.api.ModelRewriteRule;
import dev.osprey.api.ResourceSet;
import java.util.Objects;
import java.util.Optional;

/**
 * The resources one pool's requests are resolved against, derived from one {@link ResourceSet}: its InferenceModels
 * (a {@link ModelDirectory}), its InferenceObjectives (pool namespace; {@code poolRef} empty or naming the pool) and
 * its InferenceModelRewrite rules. Immutable.
 */
public record PoolResources(ResourceSet resources, String namespace, String poolName, ModelDirectory models) {

    /** No models, objectives or rewrites. */
    public static final PoolResources EMPTY = of(ResourceSet.empty(), "", "");

    public PoolResources {
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(poolName, "poolName");
        Objects.requireNonNull(models, "models");
    }

    /** The resources of pool {@code namespace/poolName} in {@code resources}. */
    public static PoolResources of(ResourceSet resources, String namespace, String poolName) {
        return new PoolResources(resources, namespace, poolName, ModelDirectory.of(resources, namespace, poolName));
    }

    /** Only the given models (no objectives, no rewrites). */
    public static PoolResources ofModels(ModelDirectory models) {
        return new PoolResources(ResourceSet.empty(), "", "", models);
    }

    /** The InferenceObjective named {@code name} that applies to this pool. */
    public Optional<InferenceObjective> objective(String name) {
        return resources.objective(namespace, name)
                .filter(o -> o.poolRef() == null || o.poolRef().isBlank() || o.poolRef().equals(poolName));
    }

    /** The first InferenceModelRewrite rule of this pool matching {@code model}. */
    public Optional<ModelRewriteRule> rewriteRule(String model) {
        return resources.rewriteRule(poolName, model);
    }
}
