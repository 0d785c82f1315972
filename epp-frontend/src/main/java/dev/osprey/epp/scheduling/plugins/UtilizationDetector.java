package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.Filter;
import dev.osprey.epp.scheduling.framework.SaturationDetector;
import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;

/**
 * {@code utilization-detector} (upstream's default saturation detector). Endpoint score =
 * {@code max(waiting / queueDepthThreshold, kv / kvCacheUtilThreshold)}, 1.0 when metrics are stale (older than
 * {@code metricsStalenessThreshold} or health not HEALTHY); pool saturation = mean endpoint score (empty → 1.0).
 * As a filter it keeps endpoints with {@code waiting < q × (1 + headroom)} and {@code kv < k × (1 + headroom)},
 * and keeps all when none passes. Immutable.
 */
public final class UtilizationDetector extends Named implements SaturationDetector, Filter {

    private final double queueDepth;
    private final double kvThreshold;
    private final long stalenessMs;
    private final double headroom;

    public UtilizationDetector(String name, double queueDepth, double kvThreshold, long stalenessMs,
            double headroom) {
        super("utilization-detector", name);
        if (queueDepth <= 0 || kvThreshold <= 0 || stalenessMs <= 0 || headroom < 0) {
            throw new IllegalArgumentException("utilization-detector: thresholds must be positive and headroom "
                    + "0 or more (queueDepthThreshold " + queueDepth + ", kvCacheUtilThreshold " + kvThreshold
                    + ", metricsStalenessThreshold " + stalenessMs + " ms, headroom " + headroom + ")");
        }
        this.queueDepth = queueDepth;
        this.kvThreshold = kvThreshold;
        this.stalenessMs = stalenessMs;
        this.headroom = headroom;
    }

    /** Upstream defaults: 5, 0.8, 200 ms, headroom 0. */
    public static UtilizationDetector defaults() {
        return new UtilizationDetector("utilization-detector", 5, 0.8, 200, 0);
    }

    /** One endpoint's saturation score. */
    public double endpointScore(EndpointSnapshot e, long nowMs) {
        if (e.health() != EndpointHealth.HEALTHY || nowMs - e.scrapeTimeMs() > stalenessMs) {
            return 1.0;
        }
        return Math.max(e.waitingRequests() / queueDepth, e.kvCacheUtilization() / kvThreshold);
    }

    @Override
    public double saturation(CycleState cycle, CandidateSet set) {
        if (set.isEmpty()) {
            return 1.0;
        }
        double sum = 0;
        for (int i = 0; i < set.size(); i++) {
            sum += endpointScore(set.get(i), cycle.nowMs());
        }
        return sum / set.size();
    }

    @Override
    public void filter(CycleState cycle, CandidateSet set) {
        boolean[] keep = cycle.flags(set.size());
        boolean any = false;
        for (int i = 0; i < set.size(); i++) {
            EndpointSnapshot e = set.get(i);
            keep[i] = e.waitingRequests() < queueDepth * (1 + headroom)
                    && e.kvCacheUtilization() < kvThreshold * (1 + headroom);
            any |= keep[i];
        }
        if (any) {
            set.retain(keep);
        }
    }
}
