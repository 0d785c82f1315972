package dev.osprey.bench.extproc;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProtocolConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The messages of one kind of request, built once and sent by every exchange (protobuf messages are immutable), so
 * the driver spends its CPU on the transport, not on building requests: the request headers (FULL_DUPLEX_STREAMED
 * protocol configuration), the body in chunks of {@code chunkBytes} (the last one {@code end_of_stream}), the
 * response headers and a small JSON response body.
 */
record Workload(List<ProcessingRequest> request, ProcessingRequest responseHeaders, ProcessingRequest responseBody) {

    private static final ProtocolConfiguration FULL_DUPLEX = ProtocolConfiguration.newBuilder()
            .setRequestBodyMode(BodySendMode.FULL_DUPLEX_STREAMED)
            .setResponseBodyMode(BodySendMode.FULL_DUPLEX_STREAMED).build();
    private static final ByteString RESPONSE_BODY = ByteString.copyFromUtf8(
            "{\"id\":\"x\",\"model\":\"llama\",\"usage\":{\"prompt_tokens\":250,\"completion_tokens\":8}}");

    Workload {
        request = List.copyOf(request);
    }

    /** A chat completion of {@code body} sent in chunks of at most {@code chunkBytes}. */
    static Workload chat(String body, int chunkBytes) {
        List<ProcessingRequest> messages = new ArrayList<>();
        messages.add(ProcessingRequest.newBuilder().setProtocolConfig(FULL_DUPLEX)
                .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(headers(Map.of(":method", "POST",
                        ":path", "/v1/chat/completions", ":authority", "gateway",
                        "content-type", "application/json")))).build());
        ByteString all = ByteString.copyFromUtf8(body);
        for (int off = 0; off < all.size(); off += chunkBytes) {
            int end = Math.min(all.size(), off + chunkBytes);
            messages.add(ProcessingRequest.newBuilder().setRequestBody(HttpBody.newBuilder()
                    .setBody(all.substring(off, end)).setEndOfStream(end == all.size())).build());
        }
        ProcessingRequest responseHeaders = ProcessingRequest.newBuilder().setResponseHeaders(HttpHeaders.newBuilder()
                .setHeaders(headers(Map.of(":status", "200", "content-type", "application/json")))).build();
        ProcessingRequest responseBody = ProcessingRequest.newBuilder().setResponseBody(HttpBody.newBuilder()
                .setBody(RESPONSE_BODY).setEndOfStream(true)).build();
        return new Workload(messages, responseHeaders, responseBody);
    }

    private static HeaderMap headers(Map<String, String> headers) {
        HeaderMap.Builder m = HeaderMap.newBuilder();
        headers.forEach((k, v) -> m.addHeaders(HeaderValue.newBuilder().setKey(k)
                .setRawValue(ByteString.copyFromUtf8(v))));
        return m.build();
    }
}
