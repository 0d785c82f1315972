package dev.osprey.allinone.gateway;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;

/**
 * One ext-proc stream for one HTTP request: requests are sent in order by one thread at a time (the handler, or
 * during the response body the pump that reads the model server) and replies are taken from a queue by the
 * handler thread. gRPC callbacks only enqueue.
 */
final class ExtProcCall implements AutoCloseable {

    /** A reply, the end of the stream, or the stream's failure. */
    sealed interface Event permits Reply, Completed, Failed { }

    record Reply(ProcessingResponse response) implements Event { }

    record Completed() implements Event { }

    record Failed(Throwable error) implements Event { }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StreamObserver<ProcessingRequest> requests;
    private final Duration timeout;
    private boolean closed;

    ExtProcCall(Channel channel, Duration timeout) {
        this.timeout = timeout;
        this.requests = ExternalProcessorGrpc.newStub(channel).process(new StreamObserver<>() {
            @Override
            public void onNext(ProcessingResponse value) {
                events.add(new Reply(value));
            }

            @Override
            public void onError(Throwable t) {
                events.add(new Failed(t));
            }

            @Override
            public void onCompleted() {
                events.add(new Completed());
            }
        });
    }

    void send(ProcessingRequest request) {
        requests.onNext(request);
    }

    /** A reply that has already arrived, without waiting; failures and the end of the stream are left queued. */
    java.util.Optional<ProcessingResponse> poll() {
        Event head = events.peek();
        if (head instanceof Reply) {
            events.poll();
            return java.util.Optional.of(((Reply) head).response());
        }
        return java.util.Optional.empty();
    }

    /**
     * The next reply.
     *
     * @throws ExtProcException when the stream failed, ended, or no reply came within the message timeout
     */
    ProcessingResponse next() {
        Event event;
        try {
            event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExtProcException("interrupted waiting for the EPP", e);
        }
        if (event instanceof Reply reply) {
            return reply.response();
        }
        if (event instanceof Failed failed) {
            throw new ExtProcException("EPP stream failed: " + failed.error().getMessage(), failed.error());
        }
        if (event instanceof Completed) {
            throw new ExtProcException("EPP closed the stream early", null);
        }
        throw new ExtProcException("no reply from the EPP within " + timeout.toMillis() + " ms", null);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                requests.onCompleted();
            } catch (IllegalStateException alreadyClosed) {
                // the stream already failed; nothing left to close
            }
        }
    }
}
