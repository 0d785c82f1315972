package dev.osprey.epp.extproc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.StreamedBodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.TrailersResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Builders of the ext-proc responses the EPP sends. Stateless. */
final class Responses {

    static final String DESTINATION_HEADER = "x-gateway-destination-endpoint";
    static final String LB_NAMESPACE = "envoy.lb";

    private Responses() {
    }

    /** Header mutation that overwrites (never appends) each header. */
    static HeaderMutation setHeaders(Map<String, String> headers) {
        HeaderMutation.Builder m = HeaderMutation.newBuilder();
        headers.forEach((k, v) -> m.addSetHeaders(HeaderValueOption.newBuilder()
                .setHeader(HeaderValue.newBuilder().setKey(k).setRawValue(ByteString.copyFromUtf8(v)))
                .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)));
        return m.build();
    }

    /** {@code {"envoy.lb": {"x-gateway-destination-endpoint": destination}}}. */
    static Struct destinationMetadata(String destination) {
        Struct lb = Struct.newBuilder().putFields(DESTINATION_HEADER,
                Value.newBuilder().setStringValue(destination).build()).build();
        return Struct.newBuilder().putFields(LB_NAMESPACE, Value.newBuilder().setStructValue(lb).build()).build();
    }

    /** The routing answer for the request headers: header mutation, clear_route_cache, dynamic metadata. */
    static ProcessingResponse routedRequestHeaders(Map<String, String> headers, String destination) {
        return ProcessingResponse.newBuilder()
                .setRequestHeaders(HeadersResponse.newBuilder().setResponse(routingCommon(headers)))
                .setDynamicMetadata(destinationMetadata(destination))
                .build();
    }

    /** The routing answer carried by a buffered request-body response; replaces the body when it changed. */
    static ProcessingResponse routedRequestBody(Map<String, String> headers, String destination, ByteString body,
            boolean bodyChanged) {
        CommonResponse.Builder common = routingCommon(headers).toBuilder();
        if (bodyChanged) {
            common.setBodyMutation(BodyMutation.newBuilder().setBody(body));
        }
        return ProcessingResponse.newBuilder()
                .setRequestBody(BodyResponse.newBuilder().setResponse(common))
                .setDynamicMetadata(destinationMetadata(destination))
                .build();
    }

    private static CommonResponse routingCommon(Map<String, String> headers) {
        return CommonResponse.newBuilder().setClearRouteCache(true).setHeaderMutation(setHeaders(headers)).build();
    }

    /** An empty CONTINUE for the request headers. */
    static ProcessingResponse continueRequestHeaders() {
        return ProcessingResponse.newBuilder()
                .setRequestHeaders(HeadersResponse.newBuilder().setResponse(CommonResponse.getDefaultInstance()))
                .build();
    }

    /** An empty CONTINUE for a request-body message. */
    static ProcessingResponse continueRequestBody() {
        return ProcessingResponse.newBuilder()
                .setRequestBody(BodyResponse.newBuilder().setResponse(CommonResponse.getDefaultInstance())).build();
    }

    /** One streamed request-body chunk. */
    static ProcessingResponse requestBodyChunk(ByteString chunk, boolean endOfStream) {
        return ProcessingResponse.newBuilder().setRequestBody(BodyResponse.newBuilder()
                .setResponse(streamed(chunk, endOfStream))).build();
    }

    /** One streamed response-body chunk. */
    static ProcessingResponse responseBodyChunk(ByteString chunk, boolean endOfStream) {
        return ProcessingResponse.newBuilder().setResponseBody(BodyResponse.newBuilder()
                .setResponse(streamed(chunk, endOfStream))).build();
    }

    private static CommonResponse streamed(ByteString chunk, boolean endOfStream) {
        return CommonResponse.newBuilder().setBodyMutation(BodyMutation.newBuilder()
                .setStreamedResponse(StreamedBodyResponse.newBuilder().setBody(chunk).setEndOfStream(endOfStream)))
                .build();
    }

    /** An empty CONTINUE for a buffered response body. */
    static ProcessingResponse continueResponseBody() {
        return ProcessingResponse.newBuilder()
                .setResponseBody(BodyResponse.newBuilder().setResponse(CommonResponse.getDefaultInstance())).build();
    }

    /** A response-headers answer setting and removing the given headers (both may be empty). */
    static ProcessingResponse responseHeaders(Map<String, String> set, List<String> remove) {
        CommonResponse.Builder common = CommonResponse.newBuilder();
        if (!set.isEmpty() || !remove.isEmpty()) {
            common.setHeaderMutation(setHeaders(set).toBuilder().addAllRemoveHeaders(remove));
        }
        return ProcessingResponse.newBuilder()
                .setResponseHeaders(HeadersResponse.newBuilder().setResponse(common)).build();
    }

    /** A buffered response-body answer replacing the body. */
    static ProcessingResponse replaceResponseBody(ByteString body) {
        return ProcessingResponse.newBuilder().setResponseBody(BodyResponse.newBuilder().setResponse(
                CommonResponse.newBuilder().setBodyMutation(BodyMutation.newBuilder().setBody(body)))).build();
    }

    static ProcessingResponse requestTrailers() {
        return ProcessingResponse.newBuilder().setRequestTrailers(TrailersResponse.getDefaultInstance()).build();
    }

    static ProcessingResponse responseTrailers() {
        return ProcessingResponse.newBuilder().setResponseTrailers(TrailersResponse.getDefaultInstance()).build();
    }

    /** An immediate HTTP answer with body {@code inference error: <code> - <reason>}. */
    static ProcessingResponse immediate(int httpStatus, String code, String reason) {
        String body = "inference error: " + code + " - " + reason;
        return ProcessingResponse.newBuilder().setImmediateResponse(ImmediateResponse.newBuilder()
                .setStatus(HttpStatus.newBuilder().setCode(StatusCode.forNumber(httpStatus)))
                .setHeaders(setHeaders(Map.of("content-type", "text/plain; charset=utf-8")))
                .setBody(ByteString.copyFrom(body, StandardCharsets.UTF_8))
                .setDetails(code)).build();
    }
}
