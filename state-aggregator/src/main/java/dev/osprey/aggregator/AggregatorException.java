package dev.osprey.aggregator;

/** A failure of the aggregator's lifecycle; {@link #retriable()} says whether trying again can help. */
public class AggregatorException extends RuntimeException {

    private final boolean retriable;

    public AggregatorException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public AggregatorException(String message, boolean retriable) {
        this(message, retriable, null);
    }

    /** Whether the same call may succeed later (for example once the cluster is reachable). */
    public boolean retriable() {
        return retriable;
    }
}
