package dev.osprey.aggregator.topology;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One emitted pool-stats window: the JSON value of the {@code osprey.pool-stats} topic, keyed by pool id.
 *
 * @param model the decision's target model, else its incoming model; empty when unknown (an outcome whose decision
 *     was never seen)
 * @param requests decisions in the window: {@code routed + shed + rejected}
 * @param outcomes finished requests in the window (by {@code finishedAtMs})
 * @param errors outcomes with HTTP status 400 or above
 * @param sloAttainment {@code sloMet / outcomes}; absent when there were no outcomes
 * @param ttftSketch the mergeable {@link LogHistogram} of TTFTs, to combine windows
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolStatsReport(String poolId, String model, long windowStartMs, long windowEndMs, long requests,
        long routed, long shed, long rejected, long outcomes, long errors, long promptTokens, long completionTokens,
        Summary ttftMs, Summary latencyMs, long sloTtftMs, long sloLatencyMs, long sloMet, Double sloAttainment,
        LogHistogram ttftSketch, LogHistogram latencySketch) {

    /** Percentiles of one sketch, in milliseconds. */
    public record Summary(long count, double p50, double p90, double p99, double max) {

        static Summary of(LogHistogram sketch) {
            return new Summary(sketch.count(), sketch.quantile(0.5), sketch.quantile(0.9), sketch.quantile(0.99),
                    sketch.max());
        }
    }

    static PoolStatsReport of(String poolId, String model, long windowStartMs, long windowMs, PoolStatsWindow w,
            long ttftSloMs, long latencySloMs) {
        return new PoolStatsReport(poolId, model, windowStartMs, windowStartMs + windowMs, w.requests, w.routed,
                w.shed, w.rejected, w.outcomes, w.errors, w.promptTokens, w.completionTokens, Summary.of(w.ttftMs),
                Summary.of(w.latencyMs), ttftSloMs, latencySloMs, w.sloMet,
                w.outcomes == 0 ? null : (double) w.sloMet / w.outcomes, w.ttftMs, w.latencyMs);
    }
}
