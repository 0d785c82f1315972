package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.Scorer;
import dev.osprey.epp.state.EndpointSnapshot;
import java.util.function.ToDoubleFunction;

/** Upstream's metric scorers: queue, running requests, KV-cache utilization, token load. */
public final class LoadScorers {

    /** Default token-load threshold T (upstream {@code queueThresholdTokens}). */
    public static final long DEFAULT_TOKEN_THRESHOLD = 4_194_304L;

    private LoadScorers() {
    }

    /** {@code queue-scorer}: {@code (maxQ − q)/(maxQ − minQ)} over the candidates' waiting; all equal → 1. */
    public static Scorer queue(String name) {
        return new MinMax("queue-scorer", name, EndpointSnapshot::waitingRequests);
    }

    /** {@code running-requests-size-scorer}: the same on running requests. */
    public static Scorer running(String name) {
        return new MinMax("running-requests-size-scorer", name, EndpointSnapshot::runningRequests);
    }

    /** {@code kv-cache-utilization-scorer}: {@code 1 − utilization}. */
    public static Scorer kvCache(String name) {
        return new BaseScorer("kv-cache-utilization-scorer", name) {
            @Override
            public void score(CycleState cycle, CandidateSet set, double[] out) {
                for (int i = 0; i < set.size(); i++) {
                    out[i] = 1 - set.get(i).kvCacheUtilization();
                }
            }
        };
    }

    /**
     * {@code token-load-scorer}: {@code 1 − min(t, T)/T} where t = 2.5 × the prompt tokens of the requests this EPP
     * has in flight on the endpoint (upstream's input + estimated output).
     */
    public static Scorer tokenLoad(String name, long threshold) {
        if (threshold <= 0) {
            throw new IllegalArgumentException("queueThresholdTokens must be positive, got " + threshold);
        }
        return new BaseScorer("token-load-scorer", name) {
            @Override
            public void score(CycleState cycle, CandidateSet set, double[] out) {
                for (int i = 0; i < set.size(); i++) {
                    double t = cycle.index().load(set.snapshotIndex(i)).inflightTokens() * 2.5;
                    out[i] = 1 - Math.min(t, threshold) / threshold;
                }
            }
        };
    }

    /**
     * {@code uncached-inflight-tokens-scorer} (Osprey): min-max inverted over the uncached prompt tokens of the
     * requests this EPP has in flight on each endpoint; all equal → 1.
     */
    public static Scorer uncachedInflight(String name) {
        return new BaseScorer("uncached-inflight-tokens-scorer", name) {
            @Override
            public void score(CycleState cycle, CandidateSet set, double[] out) {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < set.size(); i++) {
                    out[i] = cycle.index().load(set.snapshotIndex(i)).inflightUncachedTokens();
                    min = Math.min(min, out[i]);
                    max = Math.max(max, out[i]);
                }
                for (int i = 0; i < set.size(); i++) {
                    out[i] = max == min ? 1.0 : (max - out[i]) / (max - min);
                }
            }
        };
    }

    /** Min-max normalization of a load metric, inverted (lowest load → 1). */
    static final class MinMax extends BaseScorer {
        private final ToDoubleFunction<EndpointSnapshot> metric;

        MinMax(String type, String name, ToDoubleFunction<EndpointSnapshot> metric) {
            super(type, name);
            this.metric = metric;
        }

        @Override
        public void score(CycleState cycle, CandidateSet set, double[] out) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < set.size(); i++) {
                double v = metric.applyAsDouble(set.get(i));
                out[i] = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            for (int i = 0; i < set.size(); i++) {
                out[i] = max == min ? 1.0 : (max - out[i]) / (max - min);
            }
        }
    }
}
