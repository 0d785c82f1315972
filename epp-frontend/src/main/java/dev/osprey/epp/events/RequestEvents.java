package dev.osprey.epp.events;

import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;

/**
 * Where decisions and outcomes go. Implementations never block the caller and never throw; they may drop events
 * (and count the drops). Thread-safe.
 */
public interface RequestEvents {

    /** Discards everything. */
    RequestEvents NONE = new RequestEvents() {
        @Override
        public void decision(RoutingDecision decision) {
        }

        @Override
        public void outcome(RequestOutcome outcome) {
        }
    };

    /** One routing decision (routed, shed or rejected). */
    void decision(RoutingDecision decision);

    /** One finished request. */
    void outcome(RequestOutcome outcome);
}
