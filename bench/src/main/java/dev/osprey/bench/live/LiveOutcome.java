package dev.osprey.bench.live;

/**
 * What the client saw of one live request. Latencies are nanoseconds from the moment the request was handed to the
 * HTTP client; -1 when not reached.
 *
 * @param kind completed (status 200 and a whole stream with its usage), shed (429) or error (anything else)
 * @param status HTTP status, or 0 when none arrived
 * @param servedBy {@code ip:port} from the gateway's {@code x-osprey-served-by} header, or "" when absent
 * @param ttftNanos time to the first SSE {@code data:} chunk
 * @param e2eNanos time to the end of the stream
 * @param error why it is an error ("" otherwise)
 */
record LiveOutcome(Kind kind, int status, String servedBy, long ttftNanos, long e2eNanos, int promptTokens,
        int completionTokens, int cachedTokens, String error) {

    /** How a request ended. */
    enum Kind {
        COMPLETED, SHED, ERROR
    }

    static LiveOutcome error(int status, String servedBy, String error) {
        return new LiveOutcome(Kind.ERROR, status, servedBy, -1, -1, 0, 0, 0, error);
    }
}
