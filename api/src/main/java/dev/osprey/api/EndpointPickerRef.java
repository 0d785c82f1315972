package dev.osprey.api;

/** Where a pool's endpoint picker runs ({@code spec.endpointPickerRef} in v1, {@code spec.extensionRef} before). */
public record EndpointPickerRef(String name, int port, FailureMode failureMode) {

    /** The upstream default ext-proc port. */
    public static final int DEFAULT_PORT = 9002;
}
