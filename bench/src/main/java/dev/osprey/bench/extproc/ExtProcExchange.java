package dev.osprey.bench.extproc;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One request through an ext-proc server, asynchronously, as the gateway runs it in FULL_DUPLEX_STREAMED mode:
 * request headers, the body in chunks (last one end_of_stream), wait for the routed headers and the whole body
 * back, then response headers and a small response body, wait for them back, complete. Completes with the
 * timings; fails when the server answers with an immediate response or breaks the stream.
 */
final class ExtProcExchange implements StreamObserver<ProcessingResponse> {

    /** Nanosecond timings of one exchange. */
    record Timing(long decisionNanos, long requestPhaseNanos, long totalNanos) {
    }

    private final CompletableFuture<Timing> done = new CompletableFuture<>();
    private final Workload workload;
    private StreamObserver<ProcessingRequest> requests;
    private long start;
    private long bodySent;
    private long decision;
    private long requestPhase;

    private ExtProcExchange(Workload workload) {
        this.workload = workload;
    }

    /** Starts one exchange on {@code stub}'s channel; the future completes when the stream has been fully answered. */
    static CompletableFuture<Timing> start(ExternalProcessorGrpc.ExternalProcessorStub stub, Workload workload) {
        ExtProcExchange x = new ExtProcExchange(workload);
        synchronized (x) {
            x.start = System.nanoTime();
            x.requests = stub.process(x);
            List<ProcessingRequest> messages = workload.request();
            for (ProcessingRequest m : messages) {
                x.requests.onNext(m);
            }
            x.bodySent = System.nanoTime();
        }
        return x.done;
    }

    @Override
    public synchronized void onNext(ProcessingResponse r) {
        if (r.hasImmediateResponse()) {
            done.completeExceptionally(new IllegalStateException("immediate response "
                    + r.getImmediateResponse().getStatus().getCodeValue() + ": "
                    + r.getImmediateResponse().getBody().toStringUtf8()));
            requests.onCompleted();
            return;
        }
        long now = System.nanoTime();
        if (r.hasRequestHeaders()) {
            decision = now - bodySent;
        } else if (r.hasRequestBody()
                && r.getRequestBody().getResponse().getBodyMutation().getStreamedResponse().getEndOfStream()) {
            requestPhase = now - start;
            requests.onNext(workload.responseHeaders());
        } else if (r.hasResponseHeaders()) {
            requests.onNext(workload.responseBody());
        } else if (r.hasResponseBody()
                && r.getResponseBody().getResponse().getBodyMutation().getStreamedResponse().getEndOfStream()) {
            requests.onCompleted();
            done.complete(new Timing(decision, requestPhase, now - start));
        }
    }

    @Override
    public void onError(Throwable t) {
        done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        if (!done.isDone()) {
            done.completeExceptionally(new IllegalStateException("stream closed before the response phase ended"));
        }
    }
}
