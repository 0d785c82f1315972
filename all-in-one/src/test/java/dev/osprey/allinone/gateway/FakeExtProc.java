package dev.osprey.allinone.gateway;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.StreamedBodyResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal ext-proc server on loopback for gateway tests: routes every request to a fixed destination list, echoes
 * the request body back as streamed chunks after it is complete, and echoes each response body chunk at once. It
 * records how many request body chunks arrived and the served endpoint reported on response messages.
 */
final class FakeExtProc implements AutoCloseable {

    final AtomicInteger requestBodyChunks = new AtomicInteger();
    final List<String> servedReports = new CopyOnWriteArrayList<>();
    private final Server server;
    private volatile String destinations = "";

    FakeExtProc() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new ExternalProcessorGrpc.ExternalProcessorImplBase() {
                    @Override
                    public StreamObserver<ProcessingRequest> process(StreamObserver<ProcessingResponse> out) {
                        return new Stream(out);
                    }
                }).build().start();
    }

    int port() {
        return server.getPort();
    }

    void routeTo(String destinationList) {
        this.destinations = destinationList;
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class Stream implements StreamObserver<ProcessingRequest> {
        private final StreamObserver<ProcessingResponse> out;
        private ByteString body = ByteString.EMPTY;

        Stream(StreamObserver<ProcessingResponse> out) {
            this.out = out;
        }

        @Override
        public synchronized void onNext(ProcessingRequest r) {
            if (r.hasMetadataContext() && (r.hasResponseHeaders() || r.hasResponseBody())) {
                var lb = r.getMetadataContext().getFilterMetadataMap().get("envoy.lb");
                if (lb != null && lb.containsFields("x-gateway-destination-endpoint-served")) {
                    servedReports.add(lb.getFieldsOrThrow("x-gateway-destination-endpoint-served").getStringValue());
                }
            }
            switch (r.getRequestCase()) {
                case REQUEST_HEADERS -> {
                    if (r.getRequestHeaders().getEndOfStream()) {
                        out.onNext(routed());
                    }
                }
                case REQUEST_BODY -> {
                    requestBodyChunks.incrementAndGet();
                    body = body.concat(r.getRequestBody().getBody());
                    if (r.getRequestBody().getEndOfStream()) {
                        out.onNext(routed());
                        out.onNext(ProcessingResponse.newBuilder().setRequestBody(streamed(body, true)).build());
                    }
                }
                case RESPONSE_HEADERS -> out.onNext(ProcessingResponse.newBuilder()
                        .setResponseHeaders(HeadersResponse.getDefaultInstance()).build());
                case RESPONSE_BODY -> out.onNext(ProcessingResponse.newBuilder().setResponseBody(
                        streamed(r.getResponseBody().getBody(), r.getResponseBody().getEndOfStream())).build());
                default -> { }
            }
        }

        private ProcessingResponse routed() {
            HeaderMutation mutation = HeaderMutation.newBuilder().addSetHeaders(HeaderValueOption.newBuilder()
                    .setHeader(HeaderValue.newBuilder().setKey("x-gateway-destination-endpoint")
                            .setRawValue(ByteString.copyFromUtf8(destinations)))).build();
            return ProcessingResponse.newBuilder().setRequestHeaders(HeadersResponse.newBuilder()
                    .setResponse(CommonResponse.newBuilder().setHeaderMutation(mutation))).build();
        }

        private BodyResponse streamed(ByteString bytes, boolean eos) {
            return BodyResponse.newBuilder().setResponse(CommonResponse.newBuilder().setBodyMutation(
                    BodyMutation.newBuilder().setStreamedResponse(StreamedBodyResponse.newBuilder()
                            .setBody(bytes).setEndOfStream(eos)))).build();
        }

        @Override
        public void onError(Throwable t) {
            // the gateway went away; nothing to clean up
        }

        @Override
        public synchronized void onCompleted() {
            out.onCompleted();
        }
    }
}
