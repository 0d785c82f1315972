package dev.osprey.bench.extproc;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProtocolConfiguration;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
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

    private static final ProtocolConfiguration FULL_DUPLEX = ProtocolConfiguration.newBuilder()
            .setRequestBodyMode(BodySendMode.FULL_DUPLEX_STREAMED)
            .setResponseBodyMode(BodySendMode.FULL_DUPLEX_STREAMED).build();
    private static final HeaderMap RESPONSE_HEADERS = headers(Map.of(":status", "200",
            "content-type", "application/json"));
    private static final ByteString RESPONSE_BODY = ByteString.copyFromUtf8(
            "{\"id\":\"x\",\"model\":\"llama\",\"usage\":{\"prompt_tokens\":250,\"completion_tokens\":8}}");

    private final CompletableFuture<Timing> done = new CompletableFuture<>();
    private StreamObserver<ProcessingRequest> requests;
    private long start;
    private long bodySent;
    private long decision;
    private long requestPhase;

    private ExtProcExchange() {
    }

    /** Starts one exchange on {@code channel}; the future completes when the stream has been fully answered. */
    static CompletableFuture<Timing> start(Channel channel, HeaderMap requestHeaders, List<ByteString> chunks) {
        ExtProcExchange x = new ExtProcExchange();
        x.start = System.nanoTime();
        x.requests = ExternalProcessorGrpc.newStub(channel).process(x);
        x.requests.onNext(ProcessingRequest.newBuilder().setProtocolConfig(FULL_DUPLEX)
                .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(requestHeaders)).build());
        for (int i = 0; i < chunks.size(); i++) {
            x.requests.onNext(ProcessingRequest.newBuilder().setRequestBody(HttpBody.newBuilder()
                    .setBody(chunks.get(i)).setEndOfStream(i == chunks.size() - 1)).build());
        }
        x.bodySent = System.nanoTime();
        return x.done;
    }

    static HeaderMap headers(Map<String, String> headers) {
        HeaderMap.Builder m = HeaderMap.newBuilder();
        headers.forEach((k, v) -> m.addHeaders(HeaderValue.newBuilder().setKey(k)
                .setRawValue(ByteString.copyFromUtf8(v))));
        return m.build();
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
            requests.onNext(ProcessingRequest.newBuilder().setResponseHeaders(HttpHeaders.newBuilder()
                    .setHeaders(RESPONSE_HEADERS)).build());
        } else if (r.hasResponseHeaders()) {
            requests.onNext(ProcessingRequest.newBuilder().setResponseBody(HttpBody.newBuilder()
                    .setBody(RESPONSE_BODY).setEndOfStream(true)).build());
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
