package dev.osprey.epp.events;

/**
 * Where decisions and outcomes go. Callers hand over what happened as small immutable values; implementations
 * stamp the time at once and build and serialise the Avro records later, off the caller's thread. They never block
 * the caller and never throw; they may drop events (and count the drops). Thread-safe.
 */
public interface RequestEvents {

    /** Discards everything. */
    RequestEvents NONE = new RequestEvents() {
        @Override
        public void decision(EventFactory.Decision decision) {
        }

        @Override
        public void outcome(EventFactory.Outcome outcome) {
        }
    };

    /** One routing decision (routed, shed or rejected), made now. */
    void decision(EventFactory.Decision decision);

    /** One finished request, finished now. */
    void outcome(EventFactory.Outcome outcome);
}
