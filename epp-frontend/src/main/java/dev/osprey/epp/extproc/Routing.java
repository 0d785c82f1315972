package dev.osprey.epp.extproc;

import com.google.protobuf.ByteString;
import java.util.Map;
import java.util.Objects;

/** What a stream does with a complete request: route it, or answer it at once. */
sealed interface Routing {

    /** This routing, with the body marked as changed when {@code changed} (rejections are returned as they are). */
    default Routing withBodyChanged(boolean changed) {
        if (changed && this instanceof Routed r) {
            return new Routed(r.destination(), r.headers(), r.body(), true);
        }
        return this;
    }

    /**
     * Send the request to {@code destination}.
     *
     * @param headers request headers to set (destination, content-length, generated x-request-id, ...)
     * @param body the request body to forward (possibly rewritten)
     * @param bodyChanged whether {@code body} differs from what the client sent
     */
    record Routed(String destination, Map<String, String> headers, ByteString body, boolean bodyChanged)
            implements Routing {

        public Routed {
            Objects.requireNonNull(destination, "destination");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }
    }

    /** Answer with an immediate HTTP response {@code inference error: <code> - <reason>}. */
    record Rejected(int httpStatus, String code, String reason) implements Routing {

        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }

        static Rejected badRequest(String reason) {
            return new Rejected(400, "BadRequest", reason);
        }

        static Rejected unavailable(String reason) {
            return new Rejected(503, "ServiceUnavailable", reason);
        }

        static Rejected tooLarge(String reason) {
            return new Rejected(413, "PayloadTooLarge", reason);
        }

        static Rejected exhausted(String reason) {
            return new Rejected(429, "ResourceExhausted", reason);
        }
    }
}
