package dev.osprey.aggregator.topology;

/**
 * The key scheme of per-endpoint stores: {@code poolId + '|' + endpointId}, so that a prefix scan over
 * {@code poolId + '|'} yields exactly one pool's endpoints, sorted by endpoint id. Ids must not contain the
 * separator; {@link #isValidId} checks that.
 */
public final class StoreKeys {

    /** Separates the pool id from the endpoint id. */
    public static final char SEPARATOR = '|';

    private StoreKeys() {
    }

    /** The store key of {@code endpointId} in {@code poolId}. */
    public static String endpointKey(String poolId, String endpointId) {
        return poolId + SEPARATOR + endpointId;
    }

    /** The prefix shared by every key of {@code poolId}. */
    public static String poolPrefix(String poolId) {
        return poolId + SEPARATOR;
    }

    /** The pool id of a key built by {@link #endpointKey}. */
    public static String poolOf(String key) {
        int separator = key.indexOf(SEPARATOR);
        if (separator < 0) {
            throw new IllegalArgumentException("not an endpoint key: " + key);
        }
        return key.substring(0, separator);
    }

    /** The endpoint id of a key built by {@link #endpointKey}. */
    public static String endpointOf(String key) {
        int separator = key.indexOf(SEPARATOR);
        if (separator < 0) {
            throw new IllegalArgumentException("not an endpoint key: " + key);
        }
        return key.substring(separator + 1);
    }

    /** Whether {@code id} is non-empty and free of the separator, so keys built from it stay unambiguous. */
    public static boolean isValidId(String id) {
        return id != null && !id.isEmpty() && id.indexOf(SEPARATOR) < 0;
    }
}
