package dev.osprey.epp.tracing;

import java.util.Map;

/** Starts the span of each request's routing; closing flushes what was recorded. */
public interface RequestTracer extends AutoCloseable {

    /** Tracing off. */
    RequestTracer NONE = headers -> RequestSpan.NONE;

    /** Starts the span of a request whose headers (lower-case names, as ext-proc delivers them) are given. */
    RequestSpan start(Map<String, String> requestHeaders);

    @Override
    default void close() {
    }
}
