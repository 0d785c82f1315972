package dev.osprey.allinone.gateway;

/** The EPP could not be reached or broke the protocol; the failure mode decides what the client sees. */
final class ExtProcException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ExtProcException(String message, Throwable cause) {
        super(message, cause);
    }
}
