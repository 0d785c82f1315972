package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;

/**
 * {@code osprey-ttft-scorer}: Osprey's default scorer. Scores each candidate by its estimated time to first token
 * ({@link TtftEstimator}) relative to the best one: {@code (min + 1 ms) / (est + 1 ms)}, so the endpoint where the
 * request starts soonest scores 1 and one twice as slow about 0.5. Prefix affinity, adapter residency, queued and
 * in-flight work and metric staleness all enter through the estimate, so a warm endpoint keeps the request until
 * its queue makes it slower than a cold one. Immutable.
 */
public final class OspreyTtftScorer extends BaseScorer {

    private final TtftEstimator estimator;

    public OspreyTtftScorer(String name, TtftEstimator estimator) {
        super("osprey-ttft-scorer", name);
        this.estimator = estimator;
    }

    @Override
    public void score(CycleState cycle, CandidateSet set, double[] out) {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < set.size(); i++) {
            out[i] = estimator.estimateMs(cycle, set, i);
            min = Math.min(min, out[i]);
        }
        for (int i = 0; i < set.size(); i++) {
            out[i] = (min + 1) / (out[i] + 1);
        }
    }

    @Override
    public String explain(CycleState cycle, CandidateSet set, int i) {
        return estimator.describe(cycle, set, i);
    }
}
