package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.Filter;
import dev.osprey.epp.scheduling.framework.SaturationDetector;

/**
 * {@code concurrency-detector}: saturation = Σ in-flight / Σ capacity over the candidates, where in-flight is what
 * was dispatched and not seen complete, counted in requests ({@code concurrencyMode: requests}, capacity
 * {@code maxConcurrency}; this EPP's requests plus the other replicas' from the snapshot) or prompt tokens
 * ({@code tokens}, capacity {@code maxTokenConcurrency}; this EPP's only: peers' tokens are not shared). As a filter it
 * keeps endpoints below {@code capacity × (1 + headroom)} (all when none is). Immutable.
 */
public final class ConcurrencyDetector extends Named implements SaturationDetector, Filter {

    private final boolean tokens;
    private final double capacity;
    private final double headroom;

    public ConcurrencyDetector(String name, String mode, long maxConcurrency, long maxTokenConcurrency,
            double headroom) {
        super("concurrency-detector", name);
        if (!"requests".equals(mode) && !"tokens".equals(mode)) {
            throw new IllegalArgumentException("concurrency-detector: concurrencyMode must be requests or tokens, "
                    + "got " + mode);
        }
        this.tokens = "tokens".equals(mode);
        this.capacity = tokens ? maxTokenConcurrency : maxConcurrency;
        if (capacity <= 0 || headroom < 0) {
            throw new IllegalArgumentException("concurrency-detector: capacity must be positive and headroom "
                    + "0 or more");
        }
        this.headroom = headroom;
    }

    private double inflight(CycleState cycle, CandidateSet set, int i) {
        int snap = set.snapshotIndex(i);
        return tokens ? cycle.index().load(snap).inflightTokens() : cycle.state().inflight(cycle, snap);
    }

    @Override
    public double saturation(CycleState cycle, CandidateSet set) {
        if (set.isEmpty()) {
            return 1.0;
        }
        double sum = 0;
        for (int i = 0; i < set.size(); i++) {
            sum += inflight(cycle, set, i);
        }
        return sum / (capacity * set.size());
    }

    @Override
    public void filter(CycleState cycle, CandidateSet set) {
        boolean[] keep = cycle.flags(set.size());
        boolean any = false;
        for (int i = 0; i < set.size(); i++) {
            keep[i] = inflight(cycle, set, i) < capacity * (1 + headroom);
            any |= keep[i];
        }
        if (any) {
            set.retain(keep);
        }
    }
}
