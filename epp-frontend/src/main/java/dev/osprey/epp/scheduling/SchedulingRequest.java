package dev.osprey.epp.scheduling;

import dev.osprey.api.Criticality;
import dev.osprey.epp.state.EndpointSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Everything a scheduling plugin may look at for one request. Immutable except that {@code prompt} is not copied:
 * the caller hands ownership of the array over and must not modify it afterwards.
 *
 * @param requestId unique id of the request (completion is reported with it)
 * @param targetModel the model the request is sent as (after rewrites); seeds the prefix hashes
 * @param criticality Critical &gt; Standard &gt; Sheddable
 * @param priority upstream integer priority; negative means sheddable
 * @param headers request headers, lower-case names (session affinity, explain flag)
 * @param prompt the bytes prefix-cache hashing runs over (prompt text or the messages JSON); may be empty
 * @param promptTokens estimated prompt tokens (upstream: bytes / 4)
 * @param loraAdapter the LoRA adapter the request needs, or empty when it targets a base model
 * @param filter which endpoints the request may use (e.g. the gateway's subset hint)
 * @param fallbacks how many fallback endpoints to return after the primary
 */
public record SchedulingRequest(String requestId, String targetModel, Criticality criticality, int priority,
        Map<String, String> headers, byte[] prompt, int promptTokens, String loraAdapter,
        Predicate<EndpointSnapshot> filter, int fallbacks) {

    /** Header that asks for the decision explanation in the response. */
    public static final String EXPLAIN_HEADER = "x-osprey-explain";

    public SchedulingRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(targetModel, "targetModel");
        Objects.requireNonNull(criticality, "criticality");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(loraAdapter, "loraAdapter");
        Objects.requireNonNull(filter, "filter");
        if (fallbacks < 0 || promptTokens < 0) {
            throw new IllegalArgumentException("fallbacks and promptTokens must be 0 or more");
        }
    }

    /** Sheddable by criticality or by a negative priority. */
    public boolean sheddable() {
        return criticality == Criticality.SHEDDABLE || priority < 0;
    }

    /** Whether the request asked for {@code x-osprey-explain: true}. */
    public boolean explain() {
        return "true".equalsIgnoreCase(headers.get(EXPLAIN_HEADER));
    }

    /** A builder with defaults: Standard, priority 0, no headers, empty prompt, no adapter, any endpoint. */
    public static Builder builder(String requestId, String targetModel) {
        return new Builder(requestId, targetModel);
    }

    /** Builds {@link SchedulingRequest}s; not thread-safe. */
    public static final class Builder {
        private final String requestId;
        private final String targetModel;
        private Criticality criticality = Criticality.STANDARD;
        private int priority;
        private Map<String, String> headers = Map.of();
        private byte[] prompt = new byte[0];
        private int promptTokens = -1;
        private String loraAdapter = "";
        private Predicate<EndpointSnapshot> filter = e -> true;
        private int fallbacks;

        private Builder(String requestId, String targetModel) {
            this.requestId = requestId;
            this.targetModel = targetModel;
        }

        public Builder criticality(Criticality c) {
            this.criticality = c;
            return this;
        }

        public Builder priority(int p) {
            this.priority = p;
            return this;
        }

        public Builder headers(Map<String, String> h) {
            this.headers = h;
            return this;
        }

        /** The prompt bytes; ownership passes to the request. */
        public Builder prompt(byte[] bytes) {
            this.prompt = bytes;
            return this;
        }

        public Builder prompt(String text) {
            return prompt(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Token estimate; when unset it is prompt bytes / 4. */
        public Builder promptTokens(int tokens) {
            this.promptTokens = tokens;
            return this;
        }

        public Builder loraAdapter(String adapter) {
            this.loraAdapter = adapter == null ? "" : adapter;
            return this;
        }

        public Builder filter(Predicate<EndpointSnapshot> f) {
            this.filter = f;
            return this;
        }

        public Builder fallbacks(int n) {
            this.fallbacks = n;
            return this;
        }

        public SchedulingRequest build() {
            int tokens = promptTokens >= 0 ? promptTokens : prompt.length / 4;
            return new SchedulingRequest(requestId, targetModel, criticality, priority, headers, prompt, tokens,
                    loraAdapter, filter, fallbacks);
        }
    }
}
