package dev.osprey.allinone.gateway;

import java.io.ByteArrayOutputStream;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProtocolConfiguration;

/**
 * Runs one HTTP message (request or response) through the ext-proc stream the way Envoy does with
 * {@code FULL_DUPLEX_STREAMED} bodies: headers, then the body in chunks, then the replies in order Header then
 * Body. The EPP may answer with an immediate response at any point.
 */
final class ExtProcRequestPhase {

    /** What the EPP made of a message: continue with (possibly mutated) headers and body, or answer at once. */
    sealed interface Result permits Continue, Immediate { }

    record Continue(Map<String, String> headers, byte[] body) implements Result { }

    record Immediate(int status, Map<String, String> headers, byte[] body) implements Result { }

    static final ProtocolConfiguration FULL_DUPLEX = ProtocolConfiguration.newBuilder()
            .setRequestBodyMode(ProcessingMode.BodySendMode.FULL_DUPLEX_STREAMED)
            .setResponseBodyMode(ProcessingMode.BodySendMode.FULL_DUPLEX_STREAMED)
            .build();

    private ExtProcRequestPhase() {
    }

    /**
     * Sends {@code headers} and {@code body} as the request ({@code response == false}) or response phase and
     * collects the EPP's verdict. {@code headers} is mutated in place by the EPP's header mutations.
     */
    static Result run(ExtProcCall call, boolean response, Map<String, String> headers, byte[] body, int chunkBytes,
            boolean first) {
        HttpHeaders httpHeaders = HttpHeaders.newBuilder().setHeaders(HeaderMaps.toProto(headers))
                .setEndOfStream(body.length == 0).build();
        ProcessingRequest.Builder headerMessage = ProcessingRequest.newBuilder();
        if (first) {
            headerMessage.setProtocolConfig(FULL_DUPLEX);
        }
        call.send((response ? headerMessage.setResponseHeaders(httpHeaders)
                : headerMessage.setRequestHeaders(httpHeaders)).build());
        for (int offset = 0; offset < body.length; offset += chunkBytes) {
            int end = Math.min(body.length, offset + chunkBytes);
            HttpBody chunk = HttpBody.newBuilder().setBody(ByteString.copyFrom(body, offset, end - offset))
                    .setEndOfStream(end == body.length).build();
            ProcessingRequest.Builder message = ProcessingRequest.newBuilder();
            call.send((response ? message.setResponseBody(chunk) : message.setRequestBody(chunk)).build());
        }

        ProcessingResponse reply = call.next();
        if (reply.hasImmediateResponse()) {
            return immediate(reply.getImmediateResponse());
        }
        CommonResponse headerReply = response ? reply.getResponseHeaders().getResponse()
                : reply.getRequestHeaders().getResponse();
        if (response ? !reply.hasResponseHeaders() : !reply.hasRequestHeaders()) {
            throw new ExtProcException("expected a " + (response ? "response" : "request")
                    + "-headers reply, got " + reply.getResponseCase(), null);
        }
        HeaderMaps.apply(headerReply.getHeaderMutation(), headers);
        if (body.length == 0) {
            return new Continue(headers, body);
        }
        return collectBody(call, response, headers, body);
    }

    private static Result collectBody(ExtProcCall call, boolean response, Map<String, String> headers, byte[] body) {
        ByteArrayOutputStream streamed = new ByteArrayOutputStream(body.length);
        while (true) {
            ProcessingResponse reply = call.next();
            if (reply.hasImmediateResponse()) {
                return immediate(reply.getImmediateResponse());
            }
            if (response ? !reply.hasResponseBody() : !reply.hasRequestBody()) {
                throw new ExtProcException("expected a body reply, got " + reply.getResponseCase(), null);
            }
            BodyResponse bodyReply = response ? reply.getResponseBody() : reply.getRequestBody();
            CommonResponse common = bodyReply.getResponse();
            HeaderMaps.apply(common.getHeaderMutation(), headers);
            switch (common.getBodyMutation().getMutationCase()) {
                case STREAMED_RESPONSE -> {
                    streamed.writeBytes(common.getBodyMutation().getStreamedResponse().getBody().toByteArray());
                    if (common.getBodyMutation().getStreamedResponse().getEndOfStream()) {
                        return new Continue(headers, streamed.toByteArray());
                    }
                }
                case BODY -> {
                    return new Continue(headers, common.getBodyMutation().getBody().toByteArray());
                }
                case CLEAR_BODY -> {
                    return new Continue(headers, new byte[0]);
                }
                default -> {
                    return new Continue(headers, body);
                }
            }
        }
    }

    private static Immediate immediate(ImmediateResponse immediate) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        HeaderMaps.apply(immediate.getHeaders(), headers);
        int status = immediate.getStatus().getCodeValue();
        return new Immediate(status == 0 ? 500 : status, headers, immediate.getBody().toByteArray());
    }
}
