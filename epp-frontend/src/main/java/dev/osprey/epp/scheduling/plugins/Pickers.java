package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.Picker;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Built-in pickers. {@code maxNumOfEndpoints} (upstream, default 1) caps how many endpoints are returned; 0 means
 * "what the request asks for" (1 + its fallbacks), which is also the default here.
 */
public final class Pickers {

    private Pickers() {
    }

    private abstract static class Base extends Named implements Picker {
        private final int maxEndpoints;

        Base(String type, String name, int maxEndpoints) {
            super(type, name);
            if (maxEndpoints < 0) {
                throw new IllegalArgumentException("maxNumOfEndpoints must be 0 or more, got " + maxEndpoints);
            }
            this.maxEndpoints = maxEndpoints;
        }

        @Override
        public final int pick(CycleState cycle, CandidateSet set, double[] totals, int max, int[] out) {
            int k = maxEndpoints == 0 ? max : Math.min(max, maxEndpoints);
            return set.isEmpty() ? 0 : choose(cycle, set, totals, Math.max(1, k), out);
        }

        abstract int choose(CycleState cycle, CandidateSet set, double[] totals, int k, int[] out);
    }

    /**
     * {@code max-score-picker}: highest total first, ties broken uniformly at random (upstream shuffles then
     * stable-sorts; a reservoir choice among equal maxima is the same distribution without the shuffle).
     */
    public static Picker maxScore(String name, int maxEndpoints) {
        return new Base("max-score-picker", name, maxEndpoints) {
            @Override
            int choose(CycleState cycle, CandidateSet set, double[] totals, int k, int[] out) {
                boolean[] taken = cycle.flags(set.size());
                RandomGenerator rnd = cycle.random();
                for (int slot = 0; slot < k; slot++) {
                    int best = -1;
                    int ties = 0;
                    for (int i = 0; i < set.size(); i++) {
                        if (taken[i]) {
                            continue;
                        }
                        if (best < 0 || totals[i] > totals[best]) {
                            best = i;
                            ties = 1;
                        } else if (totals[i] == totals[best] && rnd.nextInt(++ties) == 0) {
                            best = i;
                        }
                    }
                    taken[best] = true;
                    out[slot] = best;
                }
                return k;
            }
        };
    }

    /** {@code random-picker}: uniformly random, without replacement. */
    public static Picker random(String name, int maxEndpoints) {
        return new Base("random-picker", name, maxEndpoints) {
            @Override
            int choose(CycleState cycle, CandidateSet set, double[] totals, int k, int[] out) {
                return randomDistinct(cycle, set.size(), k, out);
            }
        };
    }

    static int randomDistinct(CycleState cycle, int n, int k, int[] out) {
        boolean[] taken = cycle.flags(n);
        RandomGenerator rnd = cycle.random();
        for (int slot = 0; slot < k; slot++) {
            int i;
            do {
                i = rnd.nextInt(n);
            } while (taken[i]);
            taken[i] = true;
            out[slot] = i;
        }
        return k;
    }

    /**
     * {@code weighted-random-picker}: A-Res sampling without replacement, key = U^(1/score), top keys win; a score
     * ≤ 0 gets key 0; when every score is 0 the choice is uniform.
     */
    public static Picker weightedRandom(String name, int maxEndpoints) {
        return new Base("weighted-random-picker", name, maxEndpoints) {
            @Override
            int choose(CycleState cycle, CandidateSet set, double[] totals, int k, int[] out) {
                int n = set.size();
                boolean anyPositive = false;
                for (int i = 0; i < n; i++) {
                    anyPositive |= totals[i] > 0;
                }
                if (!anyPositive) {
                    return randomDistinct(cycle, n, k, out);
                }
                RandomGenerator rnd = cycle.random();
                double[] keys = new double[n];
                for (int i = 0; i < n; i++) {
                    keys[i] = totals[i] > 0 ? Math.pow(rnd.nextDouble(), 1.0 / totals[i]) : 0;
                }
                boolean[] taken = cycle.flags(n);
                for (int slot = 0; slot < k; slot++) {
                    int best = -1;
                    for (int i = 0; i < n; i++) {
                        if (!taken[i] && (best < 0 || keys[i] > keys[best])) {
                            best = i;
                        }
                    }
                    taken[best] = true;
                    out[slot] = best;
                }
                return k;
            }
        };
    }

    /** {@code round-robin-picker}: candidates in turn (one counter per picker instance). */
    public static Picker roundRobin(String name, int maxEndpoints) {
        AtomicLong next = new AtomicLong();
        return new Base("round-robin-picker", name, maxEndpoints) {
            @Override
            int choose(CycleState cycle, CandidateSet set, double[] totals, int k, int[] out) {
                int n = set.size();
                int start = (int) Math.floorMod(next.getAndIncrement(), (long) n);
                for (int slot = 0; slot < k; slot++) {
                    out[slot] = (start + slot) % n;
                }
                return k;
            }
        };
    }

    /**
     * {@code least-request-p2c-picker}: Envoy's LEAST_REQUEST: two distinct random candidates, the one with fewer
     * requests in flight wins (this EPP's plus the other replicas' from the snapshot; ties: the first drawn);
     * fallbacks are random.
     */
    public static Picker leastRequestP2c(String name, int maxEndpoints) {
        return new Base("least-request-p2c-picker", name, maxEndpoints) {
            @Override
            int choose(CycleState cycle, CandidateSet set, double[] totals, int k, int[] out) {
                int n = set.size();
                int got = randomDistinct(cycle, n, Math.min(n, Math.max(2, k)), out);
                if (got >= 2) {
                    int a = cycle.state().inflight(cycle, set.snapshotIndex(out[0]));
                    int b = cycle.state().inflight(cycle, set.snapshotIndex(out[1]));
                    if (b < a) {
                        int t = out[0];
                        out[0] = out[1];
                        out[1] = t;
                    }
                }
                return Math.min(k, got);
            }
        };
    }
}
