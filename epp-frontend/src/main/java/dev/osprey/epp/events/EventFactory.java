package dev.osprey.epp.events;

import dev.osprey.schemas.avro.Criticality;
import dev.osprey.schemas.avro.DecisionOutcome;
import dev.osprey.schemas.avro.EndpointScore;
import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import dev.osprey.epp.request.Usage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the Avro decision and outcome records of one EPP replica, stamping cluster, replica id, pool id, time and
 * a per-replica monotonic sequence (shared by both record kinds). Thread-safe.
 */
public final class EventFactory {

    private final String cluster;
    private final String replicaId;
    private final String poolId;
    private final Clock clock;
    private final boolean prefixHashes;
    private final AtomicLong sequence = new AtomicLong();

    /** A factory whose decisions carry no prefix block hashes. */
    public EventFactory(String cluster, String replicaId, String poolId, Clock clock) {
        this(cluster, replicaId, poolId, clock, false);
    }

    /** @param prefixHashes whether routed decisions carry the request's prefix block hashes (shared prefix index) */
    public EventFactory(String cluster, String replicaId, String poolId, Clock clock, boolean prefixHashes) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.replicaId = Objects.requireNonNull(replicaId, "replicaId");
        this.poolId = Objects.requireNonNull(poolId, "poolId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.prefixHashes = prefixHashes;
    }

    /** What a decision says; every optional part may be absent (e.g. a 400 before the model was known). */
    public record Decision(String requestId, Optional<String> incomingModel, Optional<String> targetModel,
            dev.osprey.api.Criticality criticality, List<String> chosenEndpoints, Map<String, Double> scores,
            int promptTokenEstimate, long latencyNanos, int httpStatus, Optional<String> reason,
            Optional<Integer> priority, List<Long> prefixBlockHashes) {

        public Decision {
            chosenEndpoints = List.copyOf(chosenEndpoints);
            scores = Map.copyOf(scores);
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(prefixBlockHashes, "prefixBlockHashes");
        }

        /** Without prefix block hashes. */
        public Decision(String requestId, Optional<String> incomingModel, Optional<String> targetModel,
                dev.osprey.api.Criticality criticality, List<String> chosenEndpoints, Map<String, Double> scores,
                int promptTokenEstimate, long latencyNanos, int httpStatus, Optional<String> reason,
                Optional<Integer> priority) {
            this(requestId, incomingModel, targetModel, criticality, chosenEndpoints, scores, promptTokenEstimate,
                    latencyNanos, httpStatus, reason, priority, List.of());
        }

        /** Without an InferenceObjective priority. */
        public Decision(String requestId, Optional<String> incomingModel, Optional<String> targetModel,
                dev.osprey.api.Criticality criticality, List<String> chosenEndpoints, Map<String, Double> scores,
                int promptTokenEstimate, long latencyNanos, int httpStatus, Optional<String> reason) {
            this(requestId, incomingModel, targetModel, criticality, chosenEndpoints, scores, promptTokenEstimate,
                    latencyNanos, httpStatus, reason, Optional.empty());
        }
    }

    /** What an outcome says. */
    public record Outcome(String requestId, String endpoint, int httpStatus, Optional<Double> timeToFirstByteMs,
            double endToEndMs, Usage usage, boolean streaming) {
    }

    /** The record of {@code d}, decided now. */
    public RoutingDecision decision(Decision d) {
        return decision(d, clock.millis());
    }

    /** The record of {@code d}, decided at {@code decidedAtMs}; stamped with the next sequence number. */
    public RoutingDecision decision(Decision d, long decidedAtMs) {
        List<EndpointScore> scores = new ArrayList<>(d.scores().size());
        d.scores().forEach((id, score) -> scores.add(new EndpointScore(id, score)));
        DecisionOutcome outcome = d.httpStatus() == 200 ? DecisionOutcome.ROUTED
                : d.httpStatus() == 429 ? DecisionOutcome.SHED : DecisionOutcome.REJECTED;
        return RoutingDecision.newBuilder()
                .setCluster(cluster).setEppReplicaId(replicaId).setSequence(sequence.incrementAndGet())
                .setDecidedAtMs(decidedAtMs).setRequestId(d.requestId()).setPoolId(poolId)
                .setIncomingModel(d.incomingModel().orElse(null)).setTargetModel(d.targetModel().orElse(null))
                .setCriticality(Criticality.valueOf(d.criticality().name())).setPriority(d.priority().orElse(null))
                .setChosenEndpoints(d.chosenEndpoints()).setScores(scores)
                .setPromptTokenEstimate(d.promptTokenEstimate()).setPrefixBlockHashes(prefixHashes ? d.prefixBlockHashes() : List.of())
                .setDecisionLatencyNanos(d.latencyNanos())
                .setOutcome(outcome).setHttpStatus(d.httpStatus()).setReason(d.reason().orElse(null))
                .build();
    }

    /** The record of {@code o}, finished now. */
    public RequestOutcome outcome(Outcome o) {
        return outcome(o, clock.millis());
    }

    /** The record of {@code o}, finished at {@code finishedAtMs}; stamped with the next sequence number. */
    public RequestOutcome outcome(Outcome o, long finishedAtMs) {
        return RequestOutcome.newBuilder()
                .setCluster(cluster).setEppReplicaId(replicaId).setSequence(sequence.incrementAndGet())
                .setFinishedAtMs(finishedAtMs).setRequestId(o.requestId()).setPoolId(poolId)
                .setEndpoint(o.endpoint()).setHttpStatus(o.httpStatus())
                .setTimeToFirstByteMs(o.timeToFirstByteMs().orElse(null)).setEndToEndLatencyMs(o.endToEndMs())
                .setPromptTokens(o.usage().promptTokens().orElse(null))
                .setCompletionTokens(o.usage().completionTokens().orElse(null))
                .setCachedTokens(o.usage().cachedTokens().orElse(null))
                .setStreaming(o.streaming())
                .build();
    }

    /** The time stamped on events, in epoch milliseconds. */
    public long nowMs() {
        return clock.millis();
    }

    public String poolId() {
        return poolId;
    }
}
