package dev.osprey.api;

import java.util.List;

/**
 * An InferenceModel ({@code inference.networking.x-k8s.io/v1alpha2}): the model name clients ask for, its
 * criticality, and the backend models traffic is split across (empty: serve the name as it is).
 */
public record InferenceModel(ResourceMeta meta, String modelName, Criticality criticality,
        List<TargetModel> targetModels, String poolRef) {

    public InferenceModel {
        targetModels = List.copyOf(targetModels);
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("InferenceModel " + meta.name() + ": spec.modelName must not be empty");
        }
    }
}
