package dev.osprey.epp.extproc;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * Serializes writes to one stream's response observer and guarantees nothing is written after the stream was
 * completed, failed or cancelled. Thread-safe.
 */
final class ResponseWriter {

    private final StreamObserver<ProcessingResponse> observer;
    private boolean closed;

    ResponseWriter(StreamObserver<ProcessingResponse> observer) {
        this.observer = observer;
        if (observer instanceof ServerCallStreamObserver<ProcessingResponse> call) {
            call.setOnCancelHandler(this::markClosed);
        }
    }

    /** Sends one response; returns false (and sends nothing) when the stream is already closed. */
    synchronized boolean send(ProcessingResponse response) {
        if (closed) {
            return false;
        }
        observer.onNext(response);
        return true;
    }

    /** Half-closes the stream with OK; idempotent. */
    synchronized void complete() {
        if (!closed) {
            closed = true;
            observer.onCompleted();
        }
    }

    /** Ends the stream with {@code status}; idempotent. */
    synchronized void fail(Status status) {
        if (!closed) {
            closed = true;
            observer.onError(status.asRuntimeException());
        }
    }

    synchronized boolean closed() {
        return closed;
    }

    private synchronized void markClosed() {
        closed = true;
    }
}
