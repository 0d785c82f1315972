package dev.osprey.epp.request;

import dev.osprey.api.Criticality;
import java.util.Objects;

/** The model a request asked for, the model it is sent to, and how important it is. */
public sealed interface ModelResolution {

    /** A model to route: {@code target} differs from {@code incoming} when a rollout or header rewrote it. */
    record Resolved(String incoming, String target, Criticality criticality, boolean known)
            implements ModelResolution {

        public Resolved {
            Objects.requireNonNull(incoming, "incoming");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(criticality, "criticality");
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
