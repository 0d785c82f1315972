package dev.osprey.epp.tracing;

import java.util.Map;

/** Starts the span of each request's routing; closing flushes what was recorded. */
public interface RequestTracer extends AutoCloseable {

    /** Tracing off. */
    RequestTracer NONE = (headers, requestId) -> RequestSpan.NONE;

    /**
     * Starts the span of a request whose headers (lower-case names, as ext-proc delivers them) are given, under the
     * id the EPP logs and publishes it with (the {@code x-request-id} header, or one made up when it had none).
     */
    RequestSpan start(Map<String, String> requestHeaders, String requestId);

    @Override
    default void close() {
    }
}
