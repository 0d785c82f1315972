package dev.osprey.epp.state;

/** Receives prefix blocks the shared index attributes to an endpoint (the scheduler's prefix index merges them). */
@FunctionalInterface
public interface SharedPrefixSink {

    /**
     * @param endpointId the endpoint's id in the current pool snapshot
     * @param hashesNewestFirst block hashes, most recently routed first; only the first {@code n} count
     */
    void merge(String endpointId, long[] hashesNewestFirst, int n);
}
