package dev.osprey.schemas.embedded;

/** The embedded broker failed to start or stop. Retrying rarely helps; the cause says why. */
public class EmbeddedKafkaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
