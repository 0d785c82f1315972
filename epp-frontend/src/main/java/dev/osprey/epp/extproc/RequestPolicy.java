package dev.osprey.epp.extproc;

/**
 * Per-server request limits and routing options.
 *
 * @param maxRequestBodyBytes larger request bodies get 413
 * @param fallbackEndpoints how many fallbacks follow the primary in the destination header
 */
public record RequestPolicy(long maxRequestBodyBytes, int fallbackEndpoints) {

    public RequestPolicy {
        if (maxRequestBodyBytes <= 0) {
            throw new IllegalArgumentException("maxRequestBodyBytes must be positive, got " + maxRequestBodyBytes);
        }
        if (fallbackEndpoints < 0) {
            throw new IllegalArgumentException("fallbackEndpoints must be 0 or more, got " + fallbackEndpoints);
        }
    }
}
