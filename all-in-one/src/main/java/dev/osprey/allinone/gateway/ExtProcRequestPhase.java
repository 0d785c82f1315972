package dev.osprey.allinone.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProtocolConfiguration;

/**
 * The request phase of the ext-proc stream the way Envoy runs it with {@code FULL_DUPLEX_STREAMED} bodies: headers,
 * then the body in chunks as they arrive, then the replies in order Header then Body. The EPP may answer with an
 * immediate response at any point. The response phase is {@link ResponseStreamer}.
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
     * Runs the request phase: sends the headers, then the client body chunk by chunk as it arrives (an empty
     * final chunk carries {@code end_of_stream}), then collects the EPP's verdict: the routed headers and the
     * (possibly rewritten) body, or an immediate response, which may come before the body was fully sent.
     * {@code headers} is mutated in place by the EPP's header mutations.
     *
     * @param hasBody false for a request without a body (headers carry {@code end_of_stream})
     * @throws IOException when reading the client body fails
     */
    static Result request(ExtProcCall call, Map<String, String> headers, RecordingInput body, boolean hasBody,
            int chunkBytes) throws IOException {
        HttpHeaders httpHeaders = HttpHeaders.newBuilder().setHeaders(HeaderMaps.toProto(headers))
                .setEndOfStream(!hasBody).build();
        call.send(ProcessingRequest.newBuilder().setProtocolConfig(FULL_DUPLEX).setRequestHeaders(httpHeaders)
                .build());
        if (hasBody) {
            while (!body.ended()) {
                byte[] chunk = body.next(chunkBytes);
                call.send(ProcessingRequest.newBuilder().setRequestBody(HttpBody.newBuilder()
                        .setBody(ByteString.copyFrom(chunk)).setEndOfStream(body.ended())).build());
                Optional<ProcessingResponse> early = call.poll();
                if (early.isPresent()) {
                    return verdict(call, early.get(), headers, hasBody);
                }
            }
        }
        return verdict(call, call.next(), headers, hasBody);
    }

    private static Result verdict(ExtProcCall call, ProcessingResponse reply, Map<String, String> headers,
            boolean hasBody) {
        if (reply.hasImmediateResponse()) {
            return immediate(reply.getImmediateResponse());
        }
        if (!reply.hasRequestHeaders()) {
            throw new ExtProcException("expected a request-headers reply, got " + reply.getResponseCase(), null);
        }
        HeaderMaps.apply(reply.getRequestHeaders().getResponse().getHeaderMutation(), headers);
        if (!hasBody) {
            return new Continue(headers, new byte[0]);
        }
        return collectBody(call, headers);
    }

    /** The reply to response headers: the header mutations applied, or an immediate response. */
    static Result responseHeaders(ProcessingResponse reply, Map<String, String> headers) {
        if (reply.hasImmediateResponse()) {
            return immediate(reply.getImmediateResponse());
        }
        if (!reply.hasResponseHeaders()) {
            throw new ExtProcException("expected a response-headers reply, got " + reply.getResponseCase(), null);
        }
        HeaderMaps.apply(reply.getResponseHeaders().getResponse().getHeaderMutation(), headers);
        return new Continue(headers, new byte[0]);
    }

    private static Result collectBody(ExtProcCall call, Map<String, String> headers) {
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        while (true) {
            ProcessingResponse reply = call.next();
            if (reply.hasImmediateResponse()) {
                return immediate(reply.getImmediateResponse());
            }
            if (!reply.hasRequestBody()) {
                throw new ExtProcException("expected a request-body reply, got " + reply.getResponseCase(), null);
            }
            CommonResponse common = reply.getRequestBody().getResponse();
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
                default -> throw new ExtProcException("the EPP did not return the request body in "
                        + "FULL_DUPLEX_STREAMED mode", null);
            }
        }
    }

    static Immediate immediate(ImmediateResponse immediate) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        HeaderMaps.apply(immediate.getHeaders(), headers);
        int status = immediate.getStatus().getCodeValue();
        return new Immediate(status == 0 ? 500 : status, headers, immediate.getBody().toByteArray());
    }
}
