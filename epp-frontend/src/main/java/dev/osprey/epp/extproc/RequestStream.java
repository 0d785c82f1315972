package dev.osprey.epp.extproc;

import com.google.protobuf.ByteString;
import dev.osprey.epp.request.BodyChunks;
import dev.osprey.epp.request.BodyScan;
import dev.osprey.epp.request.ModelResolution;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import dev.osprey.epp.events.EventFactory;
import dev.osprey.epp.scheduling.PickResult;
import dev.osprey.epp.tracing.RequestSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ext-proc stream, i.e. one HTTP request through the gateway. Phases: request headers → request body →
 * (request trailers) → response headers → response body → (response trailers).
 *
 * <p>Body modes come from {@code protocol_config} of the first message. FULL_DUPLEX_STREAMED (or unset): the
 * request-headers reply is held until the body is complete, then the routed headers reply is sent followed by the
 * body as {@code streamed_response} chunks of at most 62,000 bytes (order Header → Body → Trailer). BUFFERED /
 * BUFFERED_PARTIAL: the headers get an empty CONTINUE at once and the first body message carries the routing.
 * STREAMED: like buffered, but each non-final body chunk gets an empty reply and the final one carries the routing.
 * Request trailers complete a body that had no {@code end_of_stream} and always get an empty TrailersResponse.
 * After an immediate response the stream is half-closed and later messages are ignored.
 *
 * <p>gRPC delivers this object's callbacks serially; writes go through a {@link ResponseWriter}. No exception
 * escapes {@link #onNext}: it is mapped to a status by {@link ErrorStatus}.
 */
final class RequestStream implements StreamObserver<ProcessingRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(RequestStream.class);

    private enum Phase { REQUEST_HEADERS, REQUEST_BODY, ROUTED, DONE }

    private final StreamServices services;
    private final ResponseWriter out;
    private final RequestRouter router;
    private final ResponsePhase response;
    private BodySendMode requestMode = BodySendMode.FULL_DUPLEX_STREAMED;
    private BodySendMode responseMode = BodySendMode.FULL_DUPLEX_STREAMED;
    private Phase phase = Phase.REQUEST_HEADERS;
    private RequestContext ctx;
    /** The request body so far, as received (never joined or copied until it is complete). */
    private final List<ByteString> body = new ArrayList<>(4);
    private long bodyBytes;
    /** Reads the body chunk by chunk as it arrives; created with the request headers. */
    private BodyScan scan;
    /** The routing span, from the request headers to the decision. */
    private RequestSpan span = RequestSpan.NONE;

    RequestStream(StreamServices services, ResponseWriter out) {
        this.services = services;
        this.out = out;
        this.router = new RequestRouter(services);
        this.response = new ResponsePhase(out, services);
    }

    @Override
    public void onNext(ProcessingRequest request) {
        try {
            if (out.closed() || phase == Phase.DONE) {
                return;
            }
            if (request.hasProtocolConfig()) {
                requestMode = effective(request.getProtocolConfig().getRequestBodyMode());
                responseMode = effective(request.getProtocolConfig().getResponseBodyMode());
            }
            if (ctx != null && request.hasMetadataContext()) {
                ServedEndpoint.from(request.getMetadataContext()).ifPresent(response::served);
            }
            switch (request.getRequestCase()) {
                case REQUEST_HEADERS -> onRequestHeaders(request);
                case REQUEST_BODY -> onRequestBody(request.getRequestBody());
                case REQUEST_TRAILERS -> onRequestTrailers();
                case RESPONSE_HEADERS -> response.onHeaders(request.getResponseHeaders());
                case RESPONSE_BODY -> response.onBody(request.getResponseBody(), responseMode);
                case RESPONSE_TRAILERS -> response.onTrailers();
                default -> throw new ErrorStatus.ProtocolViolation("ProcessingRequest without a request");
            }
        } catch (ErrorStatus.ProtocolViolation e) {
            LOG.warn("request {}: protocol violation: {}", requestId(), e.getMessage());
            fail(e);
        } catch (RuntimeException e) {
            LOG.warn("request {}: ext-proc stream failed", requestId(), e);
            fail(e);
        }
    }

    /** Ends the stream with the status of {@code e}; gRPC calls neither callback after that, so clean up here. */
    private void fail(RuntimeException e) {
        out.fail(ErrorStatus.of(e));
        cleanUp();
    }

    private void onRequestHeaders(ProcessingRequest request) {
        expect(Phase.REQUEST_HEADERS, "request headers");
        HttpHeaders headers = request.getRequestHeaders();
        Map<String, String> map = Headers.toMap(headers.getHeaders());
        ctx = new RequestContext(map, request.hasMetadataContext()
                ? SubsetHint.from(request.getMetadataContext()) : SubsetHint.ALL);
        span = services.tracer().start(map, ctx.requestId());
        response.attach(ctx);
        LOG.debug("request {}: headers for {} {}", ctx.requestId(), map.get(":method"), map.get(":path"));
        if (headers.getEndOfStream()) {
            finishRequest(router.routeHeaderOnly(ctx), false);
        } else {
            phase = Phase.REQUEST_BODY;
            scan = services.inspector().start(ctx.api());
            if (buffered(requestMode)) {
                out.send(Responses.continueRequestHeaders());
            }
        }
    }

    private void onRequestBody(HttpBody chunk) {
        expect(Phase.REQUEST_BODY, "request body");
        long arrived = System.nanoTime();
        ByteString bytes = chunk.getBody();
        bodyBytes += bytes.size();
        if (bodyBytes > services.policy().maxRequestBodyBytes()) {
            finishRequest(Routing.Rejected.tooLarge("request body exceeds " + services.policy().maxRequestBodyBytes()
                    + " bytes"), false);
            return;
        }
        if (!bytes.isEmpty()) {
            body.add(bytes);
            scan.accept(bytes);
        }
        boolean complete = chunk.getEndOfStream() || requestMode == BodySendMode.BUFFERED
                || requestMode == BodySendMode.BUFFERED_PARTIAL;
        if (complete) {
            finishRequest(route(arrived), false);
        } else if (requestMode == BodySendMode.STREAMED) {
            out.send(Responses.continueRequestBody());
        }
    }

    private void onRequestTrailers() {
        if (phase == Phase.REQUEST_HEADERS) {
            throw new ErrorStatus.ProtocolViolation("request trailers before request headers");
        }
        if (phase == Phase.REQUEST_BODY) {
            finishRequest(route(System.nanoTime()), true);
        }
        if (phase != Phase.DONE) {
            out.send(Responses.requestTrailers());
        }
    }

    /** Routes the complete body; {@code arrived} is when its last part came in. */
    private Routing route(long arrived) {
        ByteString whole = ByteString.copyFrom(body);
        return router.route(ctx, whole, scan.finish(), arrived);
    }

    /** Sends the routing replies, or an immediate response that ends the stream. */
    private void finishRequest(Routing routing, boolean trailersFollow) {
        releaseBody();
        recordDecision(routing);
        if (routing instanceof Routing.Rejected rejected) {
            LOG.info("request {}: {} {} - {}", ctx.requestId(), rejected.httpStatus(), rejected.code(),
                    rejected.reason());
            services.metrics().outcome(String.valueOf(rejected.httpStatus()));
            span.rejected(rejected.httpStatus(), rejected.code() + " - " + rejected.reason());
            phase = Phase.DONE;
            out.send(Responses.immediate(rejected.httpStatus(), rejected.code(), rejected.reason()));
            out.complete();
            return;
        }
        Routing.Routed routed = (Routing.Routed) routing;
        LOG.debug("request {}: routed to {}", ctx.requestId(), routed.destination());
        services.metrics().outcome("routed");
        phase = Phase.ROUTED;
        response.routed();
        Map<String, String> headers = withTrace(routed.headers());
        span.routed(routed.destination(), ctx.incomingModel(), ctx.targetModel());
        boolean hadBody = ctx.inspection().isPresent();
        if (!hadBody) {
            out.send(Responses.routedRequestHeaders(headers, routed.destination()));
        } else if (buffered(requestMode)) {
            out.send(Responses.routedRequestBody(headers, routed.destination(), routed.body(),
                    routed.bodyChanged()));
        } else {
            out.send(Responses.routedRequestHeaders(headers, routed.destination()));
            List<ByteString> chunks = BodyChunks.split(routed.body(), BodyChunks.MAX_CHUNK_BYTES);
            for (int i = 0; i < chunks.size(); i++) {
                boolean last = i == chunks.size() - 1;
                out.send(Responses.requestBodyChunk(chunks.get(i), last && !trailersFollow));
            }
        }
    }

    /** The routed request's headers plus the routing span's trace headers, which replace the gateway's own. */
    private Map<String, String> withTrace(Map<String, String> headers) {
        Map<String, String> trace = span.propagation();
        if (trace.isEmpty()) {
            return headers;
        }
        Map<String, String> all = new HashMap<>(headers);
        all.putAll(trace);
        return all;
    }

    private void recordDecision(Routing routing) {
        services.metrics().request(ctx.incomingModel(), ctx.targetModel());
        int status = routing instanceof Routing.Rejected r ? r.httpStatus() : 200;
        Optional<String> reason = routing instanceof Routing.Rejected r ? Optional.of(r.reason()) : Optional.empty();
        List<String> chosen = ctx.picked().map(p -> {
            List<String> all = new ArrayList<>();
            all.add(p.primary().hostPort());
            p.fallbacks().forEach(f -> all.add(f.hostPort()));
            return all;
        }).orElse(List.of());
        EventFactory.Decision decision = new EventFactory.Decision(ctx.requestId(),
                optional(ctx.incomingModel()), optional(ctx.targetModel()), ctx.criticality(), chosen,
                ctx.picked().map(PickResult.Picked::loads).orElse(Map.of()), ctx.promptTokenEstimate(),
                ctx.decisionNanos(), status, reason, ctx.model().flatMap(ModelResolution.Resolved::priority),
                ctx.picked().map(p -> p.prefixHashes().asList()).orElse(List.of()));
        try {
            services.events().decision(decision);
        } catch (RuntimeException e) {
            LOG.warn("request {}: cannot record decision", ctx.requestId(), e);
        }
    }

    private static Optional<String> optional(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private void expect(Phase expected, String what) {
        if (phase != expected) {
            throw new ErrorStatus.ProtocolViolation(what + " received in phase " + phase);
        }
    }

    @Override
    public void onError(Throwable t) {
        Status status = Status.fromThrowable(t);
        if (status.getCode() == Status.Code.CANCELLED) {
            LOG.debug("request {}: stream cancelled by the gateway", requestId());
        } else {
            LOG.warn("request {}: stream broke: {}", requestId(), status);
        }
        cleanUp();
    }

    @Override
    public void onCompleted() {
        out.complete();
        cleanUp();
    }

    private void cleanUp() {
        span.abandoned();
        phase = Phase.DONE;
        releaseBody();
        response.streamEnded();
    }

    private void releaseBody() {
        body.clear();
        scan = null;
    }

    private String requestId() {
        return ctx == null ? "-" : ctx.requestId();
    }

    private static boolean buffered(BodySendMode mode) {
        return mode == BodySendMode.BUFFERED || mode == BodySendMode.BUFFERED_PARTIAL || mode == BodySendMode.STREAMED;
    }

    /** NONE (unset) and unknown values mean FULL_DUPLEX_STREAMED, the upstream default. */
    private static BodySendMode effective(BodySendMode mode) {
        return mode == BodySendMode.NONE || mode == BodySendMode.UNRECOGNIZED ? BodySendMode.FULL_DUPLEX_STREAMED
                : mode;
    }
}
