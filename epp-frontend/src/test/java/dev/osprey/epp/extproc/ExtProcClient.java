package dev.osprey.epp.extproc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpTrailers;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProtocolConfiguration;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test-side ext-proc stream acting like Envoy: sends requests, collects responses with timeouts. */
public final class ExtProcClient implements AutoCloseable {

    private final BlockingQueue<ProcessingResponse> responses = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Throwable error;
    private final StreamObserver<ProcessingRequest> requests;
    private boolean first = true;
    private final BodySendMode requestMode;
    private final BodySendMode responseMode;

    public ExtProcClient(Channel channel, BodySendMode requestMode, BodySendMode responseMode) {
        this.requestMode = requestMode;
        this.responseMode = responseMode;
        this.requests = ExternalProcessorGrpc.newStub(channel).process(new StreamObserver<>() {
            @Override
            public void onNext(ProcessingResponse value) {
                responses.add(value);
            }

            @Override
            public void onError(Throwable t) {
                error = t;
                closed.countDown();
            }

            @Override
            public void onCompleted() {
                closed.countDown();
            }
        });
    }

    public ExtProcClient(Channel channel) {
        this(channel, BodySendMode.FULL_DUPLEX_STREAMED, BodySendMode.FULL_DUPLEX_STREAMED);
    }

    private ProcessingRequest.Builder base() {
        ProcessingRequest.Builder b = ProcessingRequest.newBuilder();
        if (first) {
            first = false;
            b.setProtocolConfig(ProtocolConfiguration.newBuilder().setRequestBodyMode(requestMode)
                    .setResponseBodyMode(responseMode));
        }
        return b;
    }

    public static HeaderMap headerMap(Map<String, String> headers) {
        HeaderMap.Builder m = HeaderMap.newBuilder();
        headers.forEach((k, v) -> m.addHeaders(HeaderValue.newBuilder().setKey(k)
                .setRawValue(ByteString.copyFromUtf8(v))));
        return m.build();
    }

    public void requestHeaders(Map<String, String> headers, boolean endOfStream) {
        requestHeaders(headers, endOfStream, Metadata.getDefaultInstance());
    }

    public void requestHeaders(Map<String, String> headers, boolean endOfStream, Metadata metadata) {
        ProcessingRequest.Builder b = base().setRequestHeaders(HttpHeaders.newBuilder()
                .setHeaders(headerMap(headers)).setEndOfStream(endOfStream));
        if (!metadata.equals(Metadata.getDefaultInstance())) {
            b.setMetadataContext(metadata);
        }
        requests.onNext(b.build());
    }

    public void requestBody(byte[] body, boolean endOfStream) {
        requests.onNext(base().setRequestBody(HttpBody.newBuilder().setBody(ByteString.copyFrom(body))
                .setEndOfStream(endOfStream)).build());
    }

    public void requestBody(String body, boolean endOfStream) {
        requestBody(body.getBytes(StandardCharsets.UTF_8), endOfStream);
    }

    public void requestTrailers() {
        requests.onNext(base().setRequestTrailers(HttpTrailers.getDefaultInstance()).build());
    }

    public void responseHeaders(Map<String, String> headers, boolean endOfStream) {
        requests.onNext(base().setResponseHeaders(HttpHeaders.newBuilder().setHeaders(headerMap(headers))
                .setEndOfStream(endOfStream)).build());
    }

    public void responseHeaders(Map<String, String> headers, boolean endOfStream, Metadata metadata) {
        requests.onNext(base().setResponseHeaders(HttpHeaders.newBuilder().setHeaders(headerMap(headers))
                .setEndOfStream(endOfStream)).setMetadataContext(metadata).build());
    }

    public void responseBody(String body, boolean endOfStream) {
        requests.onNext(base().setResponseBody(HttpBody.newBuilder().setBody(ByteString.copyFromUtf8(body))
                .setEndOfStream(endOfStream)).build());
    }

    public void responseTrailers() {
        requests.onNext(base().setResponseTrailers(HttpTrailers.getDefaultInstance()).build());
    }

    /** Cancels the stream from the client side, as Envoy does when the downstream client goes away. */
    public void cancel() {
        requests.onError(io.grpc.Status.CANCELLED.withDescription("client went away").asRuntimeException());
        closed.countDown();
    }

    public void complete() {
        requests.onCompleted();
    }

    /** The next response, failing after 5 s. */
    public ProcessingResponse next() {
        try {
            ProcessingResponse r = responses.poll(5, TimeUnit.SECONDS);
            assertThat(r).as("a response within 5 s (stream error: %s)", error).isNotNull();
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every response received so far, without waiting. */
    public List<ProcessingResponse> drain() {
        List<ProcessingResponse> out = new ArrayList<>();
        responses.drainTo(out);
        return out;
    }

    /** Waits for the server to end the stream. */
    public void awaitServerClose() {
        try {
            assertThat(closed.await(5, TimeUnit.SECONDS)).as("stream closed by server").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Throwable error() {
        return error;
    }

    @Override
    public void close() {
        if (closed.getCount() > 0) {
            requests.onCompleted();
        }
    }

    /** The value of a set header in a header mutation response, or null. */
    public static String header(io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation m, String name) {
        return m.getSetHeadersList().stream().filter(h -> h.getHeader().getKey().equalsIgnoreCase(name))
                .map(h -> h.getHeader().getRawValue().isEmpty() ? h.getHeader().getValue()
                        : h.getHeader().getRawValue().toStringUtf8())
                .findFirst().orElse(null);
    }
}
