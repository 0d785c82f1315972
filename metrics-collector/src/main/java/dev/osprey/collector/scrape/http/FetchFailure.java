package dev.osprey.collector.scrape.http;

import java.util.Objects;

/**
 * Why a fetch produced no complete response.
 *
 * @param kind the class of failure
 * @param message a one-line description for logs and status messages
 */
public record FetchFailure(Kind kind, String message) {

    /** Classes of failure, each a distinct outcome for the caller. */
    public enum Kind {
        /** Refused, reset, unresolvable, or closed by the server before the response was complete. */
        CONNECT,
        /** The connection was not established within the timeout. */
        CONNECT_TIMEOUT,
        /** Connected, but no complete response within the timeout. */
        TIMEOUT,
        /** The body is larger than the client's limit. */
        TOO_LARGE,
        /** The bytes received are not an HTTP/1.x response. */
        PROTOCOL,
        /** The client was closed before the fetch finished. */
        CLOSED
    }

    public FetchFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
