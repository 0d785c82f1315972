package dev.osprey.api;

/** One backend model of a rollout and its relative traffic weight (0 or more). */
public record TargetModel(String name, int weight) {

    public TargetModel {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("targetModels[].name must not be empty");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("targetModels[].weight must be 0 or more, got " + weight);
        }
    }
}
