package dev.osprey.epp.scheduling;

import dev.osprey.epp.state.PoolSnapshot;

/**
 * A configured scheduler: profiles, plugins and their cross-request state (local in-flight counters, prefix index,
 * sessions). Pure Java, no gRPC/Kafka/HTTP types. Thread-safe; {@link #pick} never blocks on I/O.
 * Built by {@link SchedulerFactory}.
 */
public interface EndpointPicker {

    /**
     * Picks the endpoint (and fallbacks) for one request and records the dispatch (in-flight counters, speculative
     * prefix-cache entries, session) as if the request was sent there.
     *
     * @param nowMs wall-clock epoch millis on the clock of the snapshot's scrape times (virtual time in simulations)
     * @return {@link PickResult.Picked} with an explanation, {@link PickResult.NoCandidates} or
     *     {@link PickResult.Shed}; never null
     */
    PickResult pick(PoolSnapshot snapshot, SchedulingRequest request, long nowMs);

    /**
     * Reports that the request picked earlier finished (any outcome); unknown ids are ignored.
     *
     * @param nowMs when it finished (its response ended), on the clock of {@link #pick}: it counts as a completion
     *     on its endpoint after every scrape older than that
     */
    void completed(String requestId, long nowMs);

    /**
     * Merges prefix blocks that the shared prefix index (built by the aggregator from every EPP replica's routing
     * decisions) attributes to {@code endpointId}: the first {@code n} of {@code hashesNewestFirst}, most recently
     * routed first. Pickers that keep no prefix index ignore it. Never blocks on I/O.
     */
    default void mergeSharedPrefixes(String endpointId, long[] hashesNewestFirst, int n) {
    }

    /** The profile set's name (a built-in name or "config"). */
    String name();
}
