package dev.osprey.epp.extproc;

import dev.osprey.api.Criticality;
import dev.osprey.epp.request.BodyInspection;
import dev.osprey.epp.request.ModelResolution;
import dev.osprey.epp.request.OpenAiApi;
import dev.osprey.epp.request.Prompt;
import dev.osprey.epp.scheduling.PickResult;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The state of one request as its stream learns it: id, headers, subset hint, what the body said, the model
 * resolution and the pick. Confined to the stream's (serialized) callbacks; not thread-safe.
 */
final class RequestContext {

    private final long startNanos = System.nanoTime();
    private final String requestId;
    private final boolean requestIdGenerated;
    private final Map<String, String> headers;
    private final SubsetHint subset;
    private BodyInspection.Valid inspection;
    private ModelResolution.Resolved model;
    private PickResult.Picked picked;
    private int promptTokenEstimate;
    private long decisionNanos;

    RequestContext(Map<String, String> headers, SubsetHint subset) {
        this.headers = Map.copyOf(headers);
        this.subset = subset;
        String id = headers.get("x-request-id");
        this.requestIdGenerated = id == null || id.isBlank();
        this.requestId = requestIdGenerated ? randomUuid() : id;
    }

    /**
     * A version-4 UUID from {@link ThreadLocalRandom}: request ids need to be unique, not unpredictable, and
     * {@link UUID#randomUUID()} draws from a shared SecureRandom on every request.
     */
    static String randomUuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(msb, lsb).toString();
    }

    String requestId() {
        return requestId;
    }

    boolean requestIdGenerated() {
        return requestIdGenerated;
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    SubsetHint subset() {
        return subset;
    }

    long startNanos() {
        return startNanos;
    }

    void inspected(BodyInspection.Valid valid, int bodyBytes) {
        this.inspection = valid;
        this.promptTokenEstimate = valid.prompt().isEmpty() ? bodyBytes / 4 : valid.prompt().tokenEstimate();
    }

    /** The OpenAI API of the request path. */
    OpenAiApi api() {
        return OpenAiApi.ofPath(header(":path"));
    }

    Optional<BodyInspection.Valid> inspection() {
        return Optional.ofNullable(inspection);
    }

    /** The prompt read from the body; {@link Prompt#NONE} before the body or for an unknown API. */
    Prompt prompt() {
        return inspection != null ? inspection.prompt() : Prompt.NONE;
    }

    /** The InferenceObjective priority of the request, 0 when it named none. */
    int priority() {
        return model != null ? model.priority().orElse(0) : 0;
    }

    int promptTokenEstimate() {
        return promptTokenEstimate;
    }

    void resolved(ModelResolution.Resolved resolution) {
        this.model = resolution;
    }

    Optional<ModelResolution.Resolved> model() {
        return Optional.ofNullable(model);
    }

    /** The incoming model name, or "" before it is known. */
    String incomingModel() {
        return model != null ? model.incoming() : inspection != null ? inspection.model() : "";
    }

    /** The target model name, or "" before it is known. */
    String targetModel() {
        return model != null ? model.target() : "";
    }

    Criticality criticality() {
        return model != null ? model.criticality() : Criticality.STANDARD;
    }

    void picked(PickResult.Picked pick) {
        this.picked = pick;
    }

    Optional<PickResult.Picked> picked() {
        return Optional.ofNullable(picked);
    }

    void decisionTook(long nanos) {
        this.decisionNanos = nanos;
    }

    long decisionNanos() {
        return decisionNanos;
    }
}
