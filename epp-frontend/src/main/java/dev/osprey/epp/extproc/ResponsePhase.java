package dev.osprey.epp.extproc;

import com.google.protobuf.ByteString;
import dev.osprey.epp.events.EventFactory;
import dev.osprey.epp.request.BodyChunks;
import dev.osprey.epp.request.BodyInspection;
import dev.osprey.epp.request.ModelResolution;
import dev.osprey.epp.request.ModelSplicer;
import dev.osprey.epp.request.SseUsageScanner;
import dev.osprey.epp.request.Usage;
import dev.osprey.epp.request.UsageParser;
import dev.osprey.epp.scheduling.SchedulingRequest;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response half of one stream. Response headers get a HeadersResponse (removing {@code content-length} when
 * the model name will be rewritten back, since the length may change). Response body: in FULL_DUPLEX_STREAMED
 * chunks are echoed as {@code streamed_response} (at most 62,000 bytes each, same {@code end_of_stream}); with a
 * model rewrite, SSE bodies are forwarded line-aligned (an unfinished line waits for the next chunk) and JSON
 * bodies are held until complete, then rewritten. In BUFFERED mode the reply is an empty BodyResponse or a body
 * replacement when rewriting changed it. Response trailers get an empty TrailersResponse. Usage is read from the
 * JSON body or from SSE {@code data:} lines. When the response ends (or the stream does) one
 * {@code RequestOutcome} is published for a routed request; status 499 means the stream ended before a response
 * status was seen. Confined to the stream's serialized callbacks.
 */
final class ResponsePhase {

    private static final Logger LOG = LoggerFactory.getLogger(ResponsePhase.class);
    private static final int MAX_JSON_USAGE_BYTES = 16 << 20;
    static final int STATUS_NO_RESPONSE = 499;
    /** Response header carrying the scheduling explanation. */
    static final String DECISION_HEADER = "x-osprey-decision";

    private final ResponseWriter out;
    private final StreamServices services;
    private RequestContext ctx;
    private boolean finished;
    private boolean running;
    private int status;
    private boolean sse;
    private Optional<ModelResolution.Resolved> rewriteBack = Optional.empty();
    private long firstByteNanos;
    private final SseUsageScanner sseUsage = new SseUsageScanner();
    private ByteString held = ByteString.EMPTY;
    private boolean heldOverflow;
    private ByteString sseCarry = ByteString.EMPTY;
    private Optional<String> servedEndpoint = Optional.empty();

    ResponsePhase(ResponseWriter out, StreamServices services) {
        this.out = out;
        this.services = services;
    }

    void attach(RequestContext context) {
        this.ctx = context;
    }

    /** The request was routed: it counts as running until {@link #finish()}. */
    void routed() {
        if (!running && !finished) {
            running = true;
            services.metrics().requestStarted(ctx.incomingModel());
        }
    }

    /** The data plane reported which endpoint served the request; the outcome names it instead of the primary. */
    void served(String hostPort) {
        this.servedEndpoint = Optional.of(hostPort);
    }

    void onHeaders(HttpHeaders headers) {
        requireRequest("response headers");
        Map<String, String> map = Headers.toMap(headers.getHeaders());
        status = parseStatus(map.get(":status"));
        String contentType = map.getOrDefault("content-type", "");
        sse = contentType.isEmpty() ? ctx.inspection().map(BodyInspection.Valid::stream).orElse(false)
                : contentType.toLowerCase(Locale.ROOT).contains("text/event-stream");
        rewriteBack = ctx.model().filter(ModelResolution.Resolved::rewritten);
        out.send(Responses.responseHeaders(decisionHeader(), rewriteBack.isPresent() ? List.of("content-length") : List.of()));
        if (headers.getEndOfStream()) {
            finish();
        }
    }

    /** {@code x-osprey-decision} with the pick's explanation when the request sent {@code x-osprey-explain: true}. */
    private Map<String, String> decisionHeader() {
        if (!ctx.header(SchedulingRequest.EXPLAIN_HEADER).map("true"::equalsIgnoreCase).orElse(false)) {
            return Map.of();
        }
        return ctx.picked().map(p -> Map.of(DECISION_HEADER, p.explanation().headerValue())).orElse(Map.of());
    }

    void onBody(HttpBody chunk, BodySendMode mode) {
        requireRequest("response body");
        ByteString bytes = chunk.getBody();
        boolean eos = chunk.getEndOfStream();
        if (firstByteNanos == 0 && (!bytes.isEmpty() || eos)) {
            firstByteNanos = System.nanoTime();
        }
        observeUsage(bytes, eos);
        if (mode == BodySendMode.FULL_DUPLEX_STREAMED) {
            streamOut(bytes, eos);
        } else {
            bufferedOut(bytes);
        }
        if (eos) {
            finish();
        }
    }

    private void observeUsage(ByteString bytes, boolean eos) {
        if (sse) {
            sseUsage.accept(bytes);
            if (eos) {
                sseUsage.finish();
            }
        } else if (!heldOverflow) {
            held = held.concat(bytes);
            if (held.size() > MAX_JSON_USAGE_BYTES && rewriteBack.isEmpty()) {
                held = ByteString.EMPTY;
                heldOverflow = true;
            }
        }
    }

    private void streamOut(ByteString bytes, boolean eos) {
        ByteString emit;
        if (rewriteBack.isEmpty()) {
            emit = bytes;
        } else if (sse) {
            emit = rewriteLines(bytes, eos);
        } else if (eos) {
            emit = rewrite(held);
        } else {
            return;
        }
        if (emit.isEmpty() && !eos) {
            return;
        }
        List<ByteString> chunks = BodyChunks.split(emit, BodyChunks.MAX_CHUNK_BYTES);
        for (int i = 0; i < chunks.size(); i++) {
            out.send(Responses.responseBodyChunk(chunks.get(i), eos && i == chunks.size() - 1));
        }
    }

    /** Everything up to the last newline (all of it at the end), rewritten; the rest waits. */
    private ByteString rewriteLines(ByteString bytes, boolean eos) {
        ByteString data = sseCarry.concat(bytes);
        int cut = eos ? data.size() : lastNewline(data) + 1;
        sseCarry = data.substring(cut);
        return rewrite(data.substring(0, cut));
    }

    private static int lastNewline(ByteString data) {
        for (int i = data.size() - 1; i >= 0; i--) {
            if (data.byteAt(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void bufferedOut(ByteString bytes) {
        if (rewriteBack.isPresent()) {
            ByteString rewritten = rewrite(bytes);
            if (!rewritten.equals(bytes)) {
                out.send(Responses.replaceResponseBody(rewritten));
                return;
            }
        }
        out.send(Responses.continueResponseBody());
    }

    private ByteString rewrite(ByteString bytes) {
        ModelResolution.Resolved m = rewriteBack.orElseThrow();
        return ModelSplicer.rewriteResponse(bytes, m.target(), m.incoming());
    }

    void onTrailers() {
        requireRequest("response trailers");
        out.send(Responses.responseTrailers());
        finish();
    }

    /** The stream ended (completed, cancelled or broken); finishes the request if the response did not. */
    void streamEnded() {
        if (ctx != null) {
            finish();
        }
    }

    private void finish() {
        if (finished || ctx == null || ctx.picked().isEmpty()) {
            return;
        }
        finished = true;
        services.scheduler().completed(ctx.requestId());
        if (running) {
            running = false;
            services.metrics().requestEnded(ctx.incomingModel());
        }
        long now = System.nanoTime();
        Usage usage = sse ? sseUsage.usage()
                : heldOverflow || held.isEmpty() ? Usage.NONE : UsageParser.parse(held.newInput());
        held = ByteString.EMPTY;
        Optional<Double> ttfb = firstByteNanos == 0 ? Optional.empty()
                : Optional.of((firstByteNanos - ctx.startNanos()) / 1e6);
        boolean streaming = sse || ctx.inspection().map(BodyInspection.Valid::stream).orElse(false);
        EventFactory.Outcome outcome = new EventFactory.Outcome(ctx.requestId(),
                servedEndpoint.orElse(ctx.picked().get().primary().hostPort()), status == 0 ? STATUS_NO_RESPONSE : status, ttfb,
                (now - ctx.startNanos()) / 1e6, usage, streaming);
        try {
            services.events().outcome(outcome);
        } catch (RuntimeException e) {
            LOG.warn("request {}: cannot record outcome", ctx.requestId(), e);
        }
        services.metrics().requestDuration(ctx.incomingModel(), ctx.targetModel(), now - ctx.startNanos());
    }

    private static int parseStatus(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ErrorStatus.ProtocolViolation("bad :status response header: " + value);
        }
    }

    private void requireRequest(String what) {
        if (ctx == null) {
            throw new ErrorStatus.ProtocolViolation(what + " before request headers");
        }
    }
}
