package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.LocalLoad;
import dev.osprey.epp.state.EndpointSnapshot;
import java.util.Locale;

/**
 * Osprey's estimate of the cost of sending a request to an endpoint, in milliseconds of time to first token:
 * <pre>
 * reported = requests this EPP saw finish there since the scrape
 * unseen   = this EPP's dispatches since the scrape, or, when other replicas have requests in flight there,
 *            max(that, in flight from every replica + reported − waiting − running)
 * done     = min(reported, max(0, waiting + running + unseen − in flight from every replica))
 *            (those of them that left the server after the scrape, so the scrape still counts them)
 * admitted = min(done, waiting + unseen − own dispatches since scrape)         (queued requests let in since)
 * queued   = meanQueuedTokens × (waiting + unseen − own dispatches since scrape − admitted)
 *          + uncached prompt tokens this EPP sent there since its scrape
 * own      = promptTokens × (1 − prefix match fraction)
 * pollution= pollutionWeight × reuse × own × occupancy                       (cache the miss displaces)
 * est      = (queued + own + pollution) / prefillTokensPerMs
 *          + max(0, running + unseen − (done − admitted)) × decodeMsPerRunning   (batch interference)
 *          + adapter cost: 0 running, adapterLoadMs/2 waiting, adapterLoadMs free slot, adapterSwapMs otherwise
 *          + kvPenaltyMs × (kv − 0.9)/0.1 when KV utilization is above 0.9       (preemption risk)
 * stale    : est × (1 + min(age, 5 s)/1 s) + stalePenaltyMs when the metrics are stale
 * </pre>
 * {@link Traffic} carries what the picker learned from its own dispatches: {@code meanQueuedTokens} (the mean
 * uncached prompt tokens of recent requests), {@code reuse} (the mean prefix-match fraction of recent picks) and
 * each endpoint's {@code occupancy} (blocks the prefix index believes it holds, over the pool mean). Without it
 * ({@link #estimateMs(CycleState, CandidateSet, int)}) {@code meanQueuedTokens = meanPromptTokens}, there is no
 * pollution term and {@code reported = done = 0}. The adapter term applies only to requests with a LoRA adapter.
 * Immutable.
 *
 * <p>The pollution term is the part of a cache miss the requester does not pay: the blocks it fills evict other
 * prefixes on that endpoint (and a second copy of a shared prefix splits its group's future hits). It grows with how
 * much the pool's traffic reuses cache and with how full that endpoint's cache is, so a new shared prefix lands where
 * it displaces least, and a warm endpoint keeps its prefix until its queue outweighs the miss plus its pollution.
 *
 * @param meanPromptTokens assumed prompt length of requests already waiting, until dispatches have been seen
 * @param prefillTokensPerMs an endpoint's prefill throughput
 * @param decodeMsPerRunning first-token delay added per running request
 * @param pollutionWeight weight of the pollution term (0 = off)
 */
public record TtftEstimator(double meanPromptTokens, double prefillTokensPerMs, double decodeMsPerRunning,
        double adapterLoadMs, double adapterSwapMs, double kvPenaltyMs, double stalePenaltyMs,
        double pollutionWeight) {

    /** Defaults tuned for 7–8B models on one modern GPU. */
    public static final TtftEstimator DEFAULTS = new TtftEstimator(512, 10, 0.25, 20, 250, 200, 25, 1);

    public TtftEstimator {
        if (meanPromptTokens < 0 || prefillTokensPerMs <= 0 || decodeMsPerRunning < 0 || adapterLoadMs < 0
                || adapterSwapMs < 0 || kvPenaltyMs < 0 || stalePenaltyMs < 0 || pollutionWeight < 0) {
            throw new IllegalArgumentException("TTFT estimator parameters must be 0 or more (prefill rate > 0)");
        }
    }

    /**
     * Pool-level inputs learned from the picker's own dispatches.
     *
     * @param meanQueuedTokens uncached prompt tokens assumed per request waiting on an endpoint
     * @param reuse mean prefix-match fraction of recent picks, in [0,1]
     * @param occupancy relative prefix-cache occupancy by snapshot position (empty array = unknown, taken as 0);
     *     shared per snapshot and never written after it is computed, so it is not copied
     */
    public record Traffic(double meanQueuedTokens, double reuse, double[] occupancy) {

        static final double[] NONE = new double[0];

        /** No learned traffic: the configured mean prompt length, no reuse. */
        public static Traffic prior(double meanPromptTokens) {
            return new Traffic(meanPromptTokens, 0, NONE);
        }

        double occupancy(int snapIdx) {
            return snapIdx < occupancy.length ? occupancy[snapIdx] : 0;
        }
    }

    /**
     * Estimated TTFT of the cycle's request on candidate {@code i}, without learned traffic (no pollution term) and
     * from the scraped counts plus dispatches since the scrape only (completions since the scrape are not taken off).
     */
    public double estimateMs(CycleState cycle, CandidateSet set, int i) {
        return estimateMs(cycle, set, i, Traffic.prior(meanPromptTokens), false);
    }

    /**
     * Estimated cost of the cycle's request on candidate {@code i} given the learned {@code traffic}; requests this
     * EPP saw finish there since the scrape are taken off the scraped counts.
     */
    public double estimateMs(CycleState cycle, CandidateSet set, int i, Traffic traffic) {
        return estimateMs(cycle, set, i, traffic, true);
    }

    private double estimateMs(CycleState cycle, CandidateSet set, int i, Traffic traffic, boolean completions) {
        EndpointSnapshot e = set.get(i);
        int snap = set.snapshotIndex(i);
        LocalLoad.EndpointLoad load = cycle.index().load(snap);
        long now = cycle.nowMs();
        long[] since = cycle.scratchLong();
        int sent = load.sinceScrape(e.scrapeTimeMs(), now, since);
        int reported = completions ? (int) since[1] : 0;
        int unseen = cycle.state().unseenDispatches(cycle, snap, sent, reported);
        int done = cycle.state().finishedSinceScrape(cycle, snap, unseen, reported);
        // each completion since the scrape let a queued request in (or, with none queued, left the batch)
        int queuedRequests = e.waitingRequests() + unseen - sent;
        int admitted = Math.min(done, queuedRequests);
        double queued = (queuedRequests - admitted) * traffic.meanQueuedTokens() + since[0];
        int batch = Math.max(0, e.runningRequests() + unseen - (done - admitted));
        double own = cycle.request().promptTokens() * (1 - cycle.prefixMatchFraction(snap));
        double est = (queued + own + pollutionTokens(own, snap, traffic)) / prefillTokensPerMs
                + batch * decodeMsPerRunning;
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

    private double pollutionTokens(double own, int snap, Traffic traffic) {
        return pollutionWeight * traffic.reuse() * own * traffic.occupancy(snap);
    }

    /** A one-line account of the estimate for explanations, without learned traffic. */
    public String describe(CycleState cycle, CandidateSet set, int i) {
        return describe(cycle, set, i, Traffic.prior(meanPromptTokens));
    }

    /** A one-line account of the estimate for explanations. */
    public String describe(CycleState cycle, CandidateSet set, int i, Traffic traffic) {
        EndpointSnapshot e = set.get(i);
        int snap = set.snapshotIndex(i);
        LocalLoad.EndpointLoad load = cycle.index().load(snap);
        double own = cycle.request().promptTokens() * (1 - cycle.prefixMatchFraction(snap));
        return String.format(Locale.ROOT, "est. TTFT %.1f ms: prefix %d/%d blocks, waiting %d, running %d, "
                        + "+%d sent and -%d finished since scrape, kv %.2f, %.0f tokens per queued request, "
                        + "pollution %.1f ms%s",
                estimateMs(cycle, set, i, traffic), cycle.prefixMatchedBlocks(snap), cycle.prefixHashCount(),
                e.waitingRequests(), e.runningRequests(), load.dispatchedSince(e.scrapeTimeMs(), cycle.nowMs()),
                load.completedSince(e.scrapeTimeMs(), cycle.nowMs()), e.kvCacheUtilization(),
                traffic.meanQueuedTokens(),
                pollutionTokens(own, snap, traffic) / prefillTokensPerMs,
                cycle.state().stale(e, cycle.nowMs()) ? ", stale metrics" : "");
    }
}
