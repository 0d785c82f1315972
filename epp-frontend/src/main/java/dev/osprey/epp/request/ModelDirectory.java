package dev.osprey.epp.request;

import dev.osprey.api.InferenceModel;
import dev.osprey.api.ResourceSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The InferenceModels of one pool by model name: those in the pool's namespace whose {@code poolRef} names the pool
 * (or is empty). When several claim a name the oldest wins, then namespace/name. Immutable.
 */
public final class ModelDirectory {

    /** A directory with no models: every model is unknown. */
    public static final ModelDirectory EMPTY = new ModelDirectory(Map.of());

    private final Map<String, InferenceModel> byName;

    private ModelDirectory(Map<String, InferenceModel> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** The models of pool {@code namespace/poolName} in {@code resources}. */
    public static ModelDirectory of(ResourceSet resources, String namespace, String poolName) {
        Comparator<InferenceModel> oldestFirst = Comparator
                .comparing((InferenceModel m) -> m.meta().creationTimestamp())
                .thenComparing(m -> m.meta().namespace()).thenComparing(m -> m.meta().name());
        Map<String, InferenceModel> out = new HashMap<>();
        resources.models().stream()
                .filter(m -> m.meta().namespace().equals(namespace))
                .filter(m -> m.poolRef() == null || m.poolRef().isBlank() || m.poolRef().equals(poolName))
                .forEach(m -> out.merge(m.modelName(), m, (a, b) -> oldestFirst.compare(a, b) <= 0 ? a : b));
        return new ModelDirectory(out);
    }

    /** The InferenceModel serving {@code modelName}, if any. */
    public Optional<InferenceModel> find(String modelName) {
        return Optional.ofNullable(byName.get(modelName));
    }
}
