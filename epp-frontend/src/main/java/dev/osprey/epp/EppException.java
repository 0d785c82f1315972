package dev.osprey.epp;

/** A failure of the EPP's lifecycle; {@link #retriable()} says whether trying again may help. */
public class EppException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    public EppException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public EppException(String message, boolean retriable) {
        this(message, retriable, null);
    }

    /** Whether the same operation may succeed later (e.g. a readiness wait that timed out). */
    public boolean retriable() {
        return retriable;
    }
}
