package dev.osprey.api;

/**
 * An InferenceObjective ({@code inference.networking.x-k8s.io/v1alpha2}), chosen per request by the header
 * {@code x-gateway-inference-objective}: its integer {@code priority} orders requests (negative = sheddable).
 */
public record InferenceObjective(ResourceMeta meta, int priority, String poolRef) {

    /** The request header naming the objective. */
    public static final String HEADER = "x-gateway-inference-objective";

    /** Whether requests under this objective may be shed when the pool is saturated. */
    public boolean sheddable() {
        return priority < 0;
    }
}
