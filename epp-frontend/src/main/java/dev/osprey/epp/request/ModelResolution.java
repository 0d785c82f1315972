package dev.osprey.epp.request;

import dev.osprey.api.Criticality;
import java.util.Objects;
import java.util.Optional;

/** The model a request asked for, the model it is sent to, and how important it is. */
public sealed interface ModelResolution {

    /**
     * A model to route: {@code target} differs from {@code incoming} when a rollout, rewrite rule or header rewrote
     * it.
     *
     * @param known whether an InferenceModel or a rewrite rule serves the model
     * @param priority the priority of the request's InferenceObjective, if it named one
     */
    record Resolved(String incoming, String target, Criticality criticality, boolean known,
            Optional<Integer> priority) implements ModelResolution {

        public Resolved {
            Objects.requireNonNull(incoming, "incoming");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(criticality, "criticality");
            Objects.requireNonNull(priority, "priority");
        }

        /** Without an objective. */
        public Resolved(String incoming, String target, Criticality criticality, boolean known) {
            this(incoming, target, criticality, known, Optional.empty());
        }

        public boolean rewritten() {
            return !incoming.equals(target);
        }
    }

    /** No InferenceModel serves the model and the policy is to reject it. */
    record Unknown(String incoming) implements ModelResolution {

        public Unknown {
            Objects.requireNonNull(incoming, "incoming");
        }
    }
}
