package dev.osprey.schemas.registry;

/** A schema registry call failed. {@link #retriable()} tells whether a later attempt may succeed. */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final boolean retriable;

    public SchemaRegistryException(String message, boolean retriable) {
        super(message);
        this.retriable = retriable;
    }

    public SchemaRegistryException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** True when the failure is transient (network, 5xx); false for a definite answer (unknown id, incompatible). */
    public boolean retriable() {
        return retriable;
    }
}
