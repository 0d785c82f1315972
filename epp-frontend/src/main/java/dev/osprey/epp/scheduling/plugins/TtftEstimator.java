package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.LocalLoad;
import dev.osprey.epp.state.EndpointSnapshot;
import java.util.Locale;

/**
 * Osprey's estimate of when a request would get its first token on an endpoint, in milliseconds:
 * <pre>
 * ahead    = waiting × meanPromptTokens + uncached prompt tokens this EPP sent there since its scrape
 *          + meanPromptTokens × the other replicas' requests the scrape does not show yet
 * own      = promptTokens × (1 − prefix match fraction)
 * est      = (ahead + own) / prefillTokensPerMs
 *          + (running + unseen dispatches) × decodeMsPerRunning               (batch interference)
 *          + adapter cost: 0 running, adapterLoadMs/2 waiting, adapterLoadMs free slot, adapterSwapMs otherwise
 *          + kvPenaltyMs × (kv − 0.9)/0.1 when KV utilization is above 0.9       (preemption risk)
 * stale    : est × (1 + min(age, 5 s)/1 s) + stalePenaltyMs when the metrics are stale
 * </pre>
 * The adapter term applies only to requests with a LoRA adapter. Immutable.
 *
 * @param meanPromptTokens assumed prompt length of requests already waiting (unknown to the EPP)
 * @param prefillTokensPerMs an endpoint's prefill throughput
 * @param decodeMsPerRunning first-token delay added per running request
 */
public record TtftEstimator(double meanPromptTokens, double prefillTokensPerMs, double decodeMsPerRunning,
        double adapterLoadMs, double adapterSwapMs, double kvPenaltyMs, double stalePenaltyMs) {

    /** Defaults tuned for 7–8B models on one modern GPU. */
    public static final TtftEstimator DEFAULTS = new TtftEstimator(512, 10, 0.25, 20, 250, 200, 25);

    public TtftEstimator {
        if (meanPromptTokens < 0 || prefillTokensPerMs <= 0 || decodeMsPerRunning < 0 || adapterLoadMs < 0
                || adapterSwapMs < 0 || kvPenaltyMs < 0 || stalePenaltyMs < 0) {
            throw new IllegalArgumentException("TTFT estimator parameters must be 0 or more (prefill rate > 0)");
        }
    }

    /** Estimated TTFT of the cycle's request on candidate {@code i}. */
    public double estimateMs(CycleState cycle, CandidateSet set, int i) {
        EndpointSnapshot e = set.get(i);
        int snap = set.snapshotIndex(i);
        LocalLoad.EndpointLoad load = cycle.index().load(snap);
        long now = cycle.nowMs();
        long[] tokens = cycle.scratchLong();
        int since = load.dispatchedSince(e.scrapeTimeMs(), now, tokens);
        int unseen = cycle.state().unseenDispatches(cycle, snap, since);
        double ahead = e.waitingRequests() * meanPromptTokens + tokens[0] + (unseen - since) * meanPromptTokens;
        double own = cycle.request().promptTokens() * (1 - cycle.prefixMatchFraction(snap));
        double est = (ahead + own) / prefillTokensPerMs + (e.runningRequests() + unseen) * decodeMsPerRunning;
        String adapter = cycle.request().loraAdapter();
        if (!adapter.isEmpty() && !e.runningAdapters().contains(adapter)) {
            if (e.waitingAdapters().contains(adapter)) {
                est += adapterLoadMs / 2;
            } else if (e.maxLoraSlots() == 0
                    || e.runningAdapters().size() + e.waitingAdapters().size() < e.maxLoraSlots()) {
                est += adapterLoadMs;
            } else {
                est += adapterSwapMs;
            }
        }
        if (e.kvCacheUtilization() > 0.9) {
            est += kvPenaltyMs * (e.kvCacheUtilization() - 0.9) / 0.1;
        }
        if (cycle.state().stale(e, now)) {
            double age = Math.min(Math.max(0, now - e.scrapeTimeMs()), 5000);
            est = est * (1 + age / 1000) + stalePenaltyMs;
        }
        return est;
    }

    /** A one-line account of the estimate for explanations. */
    public String describe(CycleState cycle, CandidateSet set, int i) {
        EndpointSnapshot e = set.get(i);
        int snap = set.snapshotIndex(i);
        LocalLoad.EndpointLoad load = cycle.index().load(snap);
        return String.format(Locale.ROOT, "est. TTFT %.1f ms: prefix %d/%d blocks, waiting %d, running %d, "
                        + "+%d sent since scrape, kv %.2f%s", estimateMs(cycle, set, i),
                cycle.prefixMatchedBlocks(snap), cycle.prefixHashCount(), e.waitingRequests(), e.runningRequests(),
                load.dispatchedSince(e.scrapeTimeMs(), cycle.nowMs()), e.kvCacheUtilization(),
                cycle.state().stale(e, cycle.nowMs()) ? ", stale metrics" : "");
    }
}
