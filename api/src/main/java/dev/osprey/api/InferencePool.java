package dev.osprey.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An InferencePool: the pods matching {@code selector}, each serving on every port of {@code targetPorts} (each
 * pod/port pair is one endpoint). Read from {@code inference.networking.k8s.io/v1} or the older
 * {@code inference.networking.x-k8s.io/v1alpha2}.
 */
public record InferencePool(ResourceMeta meta, String apiVersion, Map<String, String> selector,
        List<Integer> targetPorts, String appProtocol, Optional<EndpointPickerRef> endpointPickerRef) {

    public InferencePool {
        selector = Map.copyOf(selector);
        targetPorts = List.copyOf(targetPorts);
        if (selector.isEmpty()) {
            throw new IllegalArgumentException("InferencePool " + meta.name() + ": spec.selector must not be empty");
        }
        if (targetPorts.isEmpty() || targetPorts.size() > 8) {
            throw new IllegalArgumentException("InferencePool " + meta.name()
                    + ": spec.targetPorts must list 1 to 8 ports, got " + targetPorts.size());
        }
        for (int port : targetPorts) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("InferencePool " + meta.name() + ": port out of range: " + port);
            }
        }
    }

    /** {@code cluster/namespace/name}, the key of every pool-level Kafka record. */
    public String poolId(String cluster) {
        return ResourceIds.poolId(cluster, meta.namespace(), meta.name());
    }

    /** Whether a pod's labels satisfy this pool's selector (every selector pair present and equal). */
    public boolean selects(Map<String, String> podLabels) {
        return podLabels.entrySet().containsAll(selector.entrySet());
    }
}
