package dev.osprey.schemas.kafka;

/**
 * The names of Osprey's topics (DESIGN.md section 3). {@link #defaults()} gives the documented names; a
 * deployment may prefix or rename them all.
 */
public record TopicNames(String endpointMetrics, String endpoints, String poolState, String routingDecisions,
        String requestOutcomes, String poolStats, String deadLetters) {

    /** The default names, {@code osprey.endpoint-metrics} and so on. */
    public static TopicNames defaults() {
        return withPrefix("osprey.");
    }

    /** Every default name with {@code osprey.} replaced by {@code prefix} (tests use a unique prefix each). */
    public static TopicNames withPrefix(String prefix) {
        return new TopicNames(prefix + "endpoint-metrics", prefix + "endpoints", prefix + "pool-state",
                prefix + "routing-decisions", prefix + "request-outcomes", prefix + "pool-stats",
                prefix + "dead-letters");
    }
}
