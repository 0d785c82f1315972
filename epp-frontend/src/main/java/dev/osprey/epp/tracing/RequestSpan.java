package dev.osprey.epp.tracing;

import java.util.Map;

/** The span of one request's routing. Ending it more than once is harmless; only the first end counts. */
public interface RequestSpan {

    /** A span that records nothing and hands nothing on. */
    RequestSpan NONE = new RequestSpan() {
        @Override
        public Map<String, String> propagation() {
            return Map.of();
        }

        @Override
        public void routed(String destination, String incomingModel, String targetModel) {
        }

        @Override
        public void rejected(int httpStatus, String reason) {
        }

        @Override
        public void abandoned() {
        }
    };

    /**
     * Headers to set on the request sent to the model server (W3C {@code traceparent} and {@code tracestate} by
     * default), so that its spans are children of this one.
     */
    Map<String, String> propagation();

    /** The request was routed to {@code destination} (the gateway's destination header value); ends the span. */
    void routed(String destination, String incomingModel, String targetModel);

    /** The request was answered by the EPP with {@code httpStatus}; ends the span. */
    void rejected(int httpStatus, String reason);

    /** The stream ended before a routing decision; ends the span as an error. */
    void abandoned();
}
