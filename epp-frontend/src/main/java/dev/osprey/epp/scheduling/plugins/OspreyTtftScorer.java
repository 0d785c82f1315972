package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.PickListener;
import dev.osprey.epp.state.EndpointSnapshot;

/**
 * {@code osprey-ttft-scorer}: Osprey's default scorer. Scores each candidate by its estimated time to first token
 * ({@link TtftEstimator}) relative to the best one: {@code (min + 1 ms) / (est + 1 ms)}, so the endpoint where the
 * request starts soonest scores 1 and one twice as slow about 0.5. Prefix affinity, the cache pollution of a miss,
 * adapter residency, queued and in-flight work and metric staleness all enter through the estimate, so a warm
 * endpoint keeps the request until its queue outweighs what a cold one would cost. As a {@link PickListener} it
 * learns from each pick ({@link DispatchStats}: the mean uncached prompt tokens per request and how much traffic the
 * caches serve). Thread-safe.
 */
public final class OspreyTtftScorer extends BaseScorer implements PickListener {

    private final TtftEstimator estimator;
    private final DispatchStats stats;
    private final CacheOccupancy occupancy = new CacheOccupancy();

    public OspreyTtftScorer(String name, TtftEstimator estimator) {
        super("osprey-ttft-scorer", name);
        this.estimator = estimator;
        this.stats = new DispatchStats(estimator.meanPromptTokens());
    }

    /** What this scorer has learned so far (for tests and diagnostics). */
    public DispatchStats stats() {
        return stats;
    }

    @Override
    public void score(CycleState cycle, CandidateSet set, double[] out) {
        if (set.isEmpty()) {
            return;
        }
        TtftEstimator.Traffic traffic = traffic(cycle);
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < set.size(); i++) {
            out[i] = estimator.estimateMs(cycle, set, i, traffic);
            min = Math.min(min, out[i]);
        }
        for (int i = 0; i < set.size(); i++) {
            out[i] = (min + 1) / (out[i] + 1);
        }
    }

    @Override
    public String explain(CycleState cycle, CandidateSet set, int i) {
        return estimator.describe(cycle, set, i, traffic(cycle));
    }

    @Override
    public void picked(CycleState cycle, EndpointSnapshot primary) {
        int snap = cycle.index().position(primary.endpointId());
        double match = snap < 0 || cycle.prefixHashCount() == 0 ? 0 : cycle.prefixMatchFraction(snap);
        stats.observe(match, cycle.request().promptTokens() * (1 - match));
    }

    private TtftEstimator.Traffic traffic(CycleState cycle) {
        double reuse = stats.reuse();
        double[] occ = reuse > 0 && estimator.pollutionWeight() > 0 ? occupancy.relative(cycle) : null;
        return occ == null ? new TtftEstimator.Traffic(stats.meanUncachedTokens(), 0, TtftEstimator.Traffic.NONE)
                : new TtftEstimator.Traffic(stats.meanUncachedTokens(), reuse, occ);
    }
}
