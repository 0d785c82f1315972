package dev.osprey.epp.extproc;

import io.grpc.Status;

/** The one place an unexpected exception in stream handling becomes a gRPC status. */
final class ErrorStatus {

    private ErrorStatus() {
    }

    static Status of(Throwable t) {
        if (t instanceof ProtocolViolation) {
            return Status.INVALID_ARGUMENT.withDescription(t.getMessage());
        }
        return Status.INTERNAL.withDescription("ext-proc stream failed: " + t.getClass().getSimpleName())
                .withCause(t);
    }

    /** The client sent a message that makes no sense in the stream's current phase. */
    static final class ProtocolViolation extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ProtocolViolation(String message) {
            super(message);
        }
    }
}
