package dev.osprey.bench.sim;

import dev.osprey.api.Criticality;

/**
 * What happened to one request under one strategy. Latencies are client-visible nanoseconds; -1 when the request
 * did not complete.
 *
 * @param stage ladder stage of its arrival
 * @param criticality its criticality
 * @param status completed, shed by the picker, or refused by the server
 * @param endpoint index of the server it went to, or -1 when shed
 * @param arrivalNanos virtual arrival time
 */
public record RequestRecord(int stage, Criticality criticality, Status status, int endpoint,
        long arrivalNanos, long ttftNanos,
        long e2eNanos, int promptTokens, int outputTokens, int cachedTokens) {

    /** Outcome of a request. */
    public enum Status {
        COMPLETED, SHED, REFUSED
    }

    /** Time per output token after the first, or 0 for a one-token output. */
    public double tpotNanos() {
        return outputTokens <= 1 ? 0.0 : (double) (e2eNanos - ttftNanos) / (outputTokens - 1);
    }
}
