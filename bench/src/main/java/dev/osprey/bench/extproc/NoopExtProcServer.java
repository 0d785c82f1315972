package dev.osprey.bench.extproc;

import com.google.protobuf.ByteString;
import dev.osprey.epp.extproc.ExtProcTransport;
import dev.osprey.epp.request.BodyChunks;
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
import java.util.concurrent.TimeUnit;

/**
 * The baseline: an ext-proc server on the same gRPC/Netty stack as the EPP ({@link ExtProcTransport}, the same
 * message limit) that does no work. It answers the
 * protocol in FULL_DUPLEX_STREAMED shape (the request-headers reply naming a fixed endpoint once the body is
 * complete, the body echoed back in chunks of at most 62,000 bytes like the EPP, response messages echoed)
 * without parsing anything.
 */
final class NoopExtProcServer implements AutoCloseable {

    private static final String ENDPOINT = "10.0.0.1:8000";
    private final Server server;

    /** Listens on a free loopback port, accepting bodies as large as the EPP's {@code maxRequestBodyBytes}. */
    NoopExtProcServer(long maxRequestBodyBytes) throws IOException {
        server = ExtProcTransport.configure(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                        maxRequestBodyBytes)
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

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static final class Stream implements StreamObserver<ProcessingRequest> {
        private final StreamObserver<ProcessingResponse> out;
        private ByteString body = ByteString.EMPTY;

        Stream(StreamObserver<ProcessingResponse> out) {
            this.out = out;
        }

        @Override
        public void onNext(ProcessingRequest r) {
            switch (r.getRequestCase()) {
                case REQUEST_HEADERS -> {
                    if (r.getRequestHeaders().getEndOfStream()) {
                        out.onNext(routed());
                    }
                }
                case REQUEST_BODY -> {
                    body = body.concat(r.getRequestBody().getBody());
                    if (r.getRequestBody().getEndOfStream()) {
                        out.onNext(routed());
                        List<ByteString> chunks = BodyChunks.split(body, BodyChunks.MAX_CHUNK_BYTES);
                        for (int i = 0; i < chunks.size(); i++) {
                            out.onNext(ProcessingResponse.newBuilder()
                                    .setRequestBody(streamed(chunks.get(i), i == chunks.size() - 1)).build());
                        }
                        body = ByteString.EMPTY;
                    }
                }
                case RESPONSE_HEADERS -> out.onNext(ProcessingResponse.newBuilder()
                        .setResponseHeaders(HeadersResponse.getDefaultInstance()).build());
                case RESPONSE_BODY -> out.onNext(ProcessingResponse.newBuilder().setResponseBody(
                        streamed(r.getResponseBody().getBody(), r.getResponseBody().getEndOfStream())).build());
                default -> { }
            }
        }

        private static ProcessingResponse routed() {
            HeaderMutation mutation = HeaderMutation.newBuilder().addSetHeaders(HeaderValueOption.newBuilder()
                    .setHeader(HeaderValue.newBuilder().setKey("x-gateway-destination-endpoint")
                            .setRawValue(ByteString.copyFromUtf8(ENDPOINT)))).build();
            return ProcessingResponse.newBuilder().setRequestHeaders(HeadersResponse.newBuilder()
                    .setResponse(CommonResponse.newBuilder().setHeaderMutation(mutation))).build();
        }

        private static BodyResponse streamed(ByteString bytes, boolean eos) {
            return BodyResponse.newBuilder().setResponse(CommonResponse.newBuilder().setBodyMutation(
                    BodyMutation.newBuilder().setStreamedResponse(StreamedBodyResponse.newBuilder()
                            .setBody(bytes).setEndOfStream(eos)))).build();
        }

        @Override
        public void onError(Throwable t) {
            body = ByteString.EMPTY;
        }

        @Override
        public void onCompleted() {
            out.onCompleted();
        }
    }
}
