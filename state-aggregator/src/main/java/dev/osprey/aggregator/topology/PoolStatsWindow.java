package dev.osprey.aggregator.topology;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

/**
 * The accumulators of one pool-stats window (one pool, one model, one minute): value of the
 * {@value AggregatorTopology#POOL_STATS_STORE} store, as JSON. Mutable; not thread-safe.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
final class PoolStatsWindow {

    long requests;
    long routed;
    long shed;
    long rejected;
    long outcomes;
    long errors;
    long promptTokens;
    long completionTokens;
    long sloMet;
    LogHistogram ttftMs = new LogHistogram();
    LogHistogram latencyMs = new LogHistogram();

    void onDecision(String outcome) {
        requests++;
        switch (outcome) {
            case "ROUTED" -> routed++;
            case "SHED" -> shed++;
            default -> rejected++;
        }
    }

    /**
     * Adds one finished request. It meets the SLO when it is not an error (HTTP status below 400), its TTFT (when
     * known) is within {@code ttftSloMs} and its latency within {@code latencySloMs}.
     */
    void onOutcome(int httpStatus, Double ttft, double latency, Integer prompt, Integer completion, long ttftSloMs,
            long latencySloMs) {
        outcomes++;
        boolean error = httpStatus >= 400 || httpStatus < 100;
        if (error) {
            errors++;
        }
        if (ttft != null) {
            ttftMs.record(ttft);
        }
        latencyMs.record(latency);
        promptTokens += prompt == null ? 0 : prompt;
        completionTokens += completion == null ? 0 : completion;
        if (!error && (ttft == null || ttft <= ttftSloMs) && latency <= latencySloMs) {
            sloMet++;
        }
    }
}
