package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.Filter;

/**
 * {@code prefix-cache-affinity-filter} (upstream's "sticky until saturated"): keeps the endpoints whose prefix
 * match fraction is ≥ {@code affinityThreshold} (0.80). It keeps everything when no endpoint is that warm, with
 * probability {@code explorationProbability} (0.01), or when the best warm endpoint's estimated TTFT exceeds the
 * best cold one's by more than {@code maxTTFTPenaltyMs} (5000). Estimates come from {@link TtftEstimator}.
 * Immutable.
 */
public final class PrefixAffinityFilter extends Named implements Filter {

    private final double threshold;
    private final double exploration;
    private final double maxPenaltyMs;
    private final TtftEstimator estimator;

    public PrefixAffinityFilter(String name, double threshold, double exploration, double maxPenaltyMs,
            TtftEstimator estimator) {
        super("prefix-cache-affinity-filter", name);
        if (threshold < 0 || threshold > 1 || exploration < 0 || exploration > 1 || maxPenaltyMs < 0) {
            throw new IllegalArgumentException("prefix-cache-affinity-filter: affinityThreshold and "
                    + "explorationProbability must be in [0,1], maxTTFTPenaltyMs 0 or more");
        }
        this.threshold = threshold;
        this.exploration = exploration;
        this.maxPenaltyMs = maxPenaltyMs;
        this.estimator = estimator;
    }

    @Override
    public void filter(CycleState cycle, CandidateSet set) {
        if (cycle.prefixHashCount() == 0 || (exploration > 0 && cycle.random().nextDouble() < exploration)) {
            return;
        }
        boolean[] keep = cycle.flags(set.size());
        double bestWarm = Double.POSITIVE_INFINITY;
        double bestCold = Double.POSITIVE_INFINITY;
        for (int i = 0; i < set.size(); i++) {
            keep[i] = cycle.prefixMatchFraction(set.snapshotIndex(i)) >= threshold;
            double est = estimator.estimateMs(cycle, set, i);
            if (keep[i]) {
                bestWarm = Math.min(bestWarm, est);
            } else {
                bestCold = Math.min(bestCold, est);
            }
        }
        if (bestWarm == Double.POSITIVE_INFINITY || bestWarm > bestCold + maxPenaltyMs) {
            return;
        }
        set.retain(keep);
    }
}
