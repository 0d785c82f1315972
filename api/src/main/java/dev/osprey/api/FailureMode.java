package dev.osprey.api;

/** What the gateway does when the endpoint picker cannot be reached. The default is {@link #FAIL_CLOSE}. */
public enum FailureMode {
    FAIL_OPEN, FAIL_CLOSE;

    /** Parses {@code FailOpen} / {@code FailClose}; {@code null} gives {@link #FAIL_CLOSE}. */
    public static FailureMode parse(String value) {
        if (value == null || value.isBlank()) {
            return FAIL_CLOSE;
        }
        return switch (value.trim()) {
            case "FailOpen" -> FAIL_OPEN;
            case "FailClose" -> FAIL_CLOSE;
            default -> throw new IllegalArgumentException("failureMode must be FailOpen or FailClose, got: " + value);
        };
    }
}
