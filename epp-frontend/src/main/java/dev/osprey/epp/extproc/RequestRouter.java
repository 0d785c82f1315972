package dev.osprey.epp.extproc;

import com.google.protobuf.ByteString;
import dev.osprey.api.InferenceObjective;
import dev.osprey.epp.request.BodyInspection;
import dev.osprey.epp.request.ModelResolution;
import dev.osprey.epp.request.ModelSplicer;
import dev.osprey.epp.request.Prompt;
import dev.osprey.epp.scheduling.PickResult;
import dev.osprey.epp.scheduling.SchedulingRequest;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a complete request into a {@link Routing}: inspect the body (400), resolve the model (404 under the reject
 * policy), pick (503 without candidates, 429 when a sheddable request meets a saturated pool), splice a rewritten
 * model into the body and build the headers. Records what it learned in the {@link RequestContext}. Stateless.
 */
final class RequestRouter {

    static final String MODEL_REWRITE_HEADER = "x-gateway-model-name-rewrite";
    /** Request headers scheduling plugins may read (explain flag, session affinity, upstream's test filter). */
    static final List<String> SCHEDULING_HEADERS = List.of(SchedulingRequest.EXPLAIN_HEADER, "x-session-token",
            "test-epp-endpoint-selection");

    private final StreamServices services;

    RequestRouter(StreamServices services) {
        this.services = services;
    }

    /** A request without a body: a uniformly random candidate. */
    Routing routeHeaderOnly(RequestContext ctx) {
        long start = System.nanoTime();
        Optional<PoolSnapshot> snapshot = services.snapshots().current();
        if (snapshot.isEmpty()) {
            return Routing.Rejected.unavailable("no pool state yet");
        }
        PickResult pick = services.scheduler().pickRandom(snapshot.get(), ctx.subset().filter());
        ctx.decisionTook(System.nanoTime() - start);
        return toRouting(ctx, pick, Optional.empty());
    }

    /**
     * A request with a complete body that {@code inspection} describes (the body was read as it arrived).
     *
     * @param start when the last part of the body arrived: the decision latency counts from there
     */
    Routing route(RequestContext ctx, ByteString body, BodyInspection inspection, long start) {
        try {
            return decide(ctx, body, inspection, start);
        } finally {
            ctx.decisionTook(System.nanoTime() - start);
        }
    }

    private Routing decide(RequestContext ctx, ByteString body, BodyInspection inspection, long start) {
        if (inspection instanceof BodyInspection.Invalid invalid) {
            return Routing.Rejected.badRequest(invalid.reason());
        }
        BodyInspection.Valid valid = (BodyInspection.Valid) inspection;
        ctx.inspected(valid, body.size());
        ModelResolution resolution = services.models().resolve(valid.model(), ctx.header(MODEL_REWRITE_HEADER),
                ctx.header(InferenceObjective.HEADER));
        if (resolution instanceof ModelResolution.Unknown unknown) {
            return new Routing.Rejected(404, "NotFound", "model " + unknown.incoming() + " not found");
        }
        ModelResolution.Resolved model = (ModelResolution.Resolved) resolution;
        ctx.resolved(model);
        Optional<PoolSnapshot> snapshot = services.snapshots().current();
        if (snapshot.isEmpty()) {
            return Routing.Rejected.unavailable("no pool state yet");
        }
        PickResult pick = services.scheduler().pick(snapshot.get(), schedulingRequest(ctx, model, body));
        services.metrics().scheduled(System.nanoTime() - start);
        ByteString out = model.rewritten()
                ? ModelSplicer.spliceRequest(body, valid.modelValueStart(), valid.modelValueEnd(), model.target())
                : body;
        return toRouting(ctx, pick, Optional.of(out)).withBodyChanged(model.rewritten());
    }

    /**
     * What the scheduler's plugins see. The prompt is the text read from the OpenAI prompt field (prefix hashing
     * runs over it) with its token estimate; for other APIs it is the whole request body (bytes / 4 tokens).
     */
    private SchedulingRequest schedulingRequest(RequestContext ctx, ModelResolution.Resolved model, ByteString body) {
        Map<String, String> headers = new HashMap<>(4);
        for (String name : SCHEDULING_HEADERS) {
            ctx.header(name).ifPresent(v -> headers.put(name, v));
        }
        return SchedulingRequest.builder(ctx.requestId(), model.target()).criticality(model.criticality())
                .priority(model.priority().orElse(0)).headers(headers).prompt(promptBytes(ctx, body))
                .promptTokens(ctx.promptTokenEstimate()).filter(ctx.subset().filter())
                .fallbacks(services.policy().fallbackEndpoints()).build();
    }

    private static byte[] promptBytes(RequestContext ctx, ByteString body) {
        Prompt prompt = ctx.prompt();
        return prompt.isEmpty() ? body.toByteArray() : prompt.utf8();
    }

    private Routing toRouting(RequestContext ctx, PickResult pick, Optional<ByteString> body) {
        if (pick instanceof PickResult.NoCandidates none) {
            return Routing.Rejected.unavailable(none.reason());
        }
        if (pick instanceof PickResult.Shed shed) {
            return Routing.Rejected.exhausted(shed.reason());
        }
        PickResult.Picked picked = (PickResult.Picked) pick;
        ctx.picked(picked);
        String destination = picked.destination();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Responses.DESTINATION_HEADER, destination);
        body.ifPresent(b -> headers.put("content-length", String.valueOf(b.size())));
        if (ctx.requestIdGenerated()) {
            headers.put("x-request-id", ctx.requestId());
        }
        return new Routing.Routed(destination, headers, body.orElse(ByteString.EMPTY), false);
    }
}
