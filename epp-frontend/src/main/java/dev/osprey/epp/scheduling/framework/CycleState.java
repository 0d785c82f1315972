package dev.osprey.epp.scheduling.framework;

import dev.osprey.epp.scheduling.SchedulingRequest;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.Arrays;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Per-request scheduling state: the request, the snapshot, the time, the candidates, scratch arrays and lazily
 * computed shared data (prefix hashes and matches). One instance is reused by one thread for many requests
 * ({@link #begin}); it is never shared between threads during a cycle.
 */
public final class CycleState {

    private final CandidateSet candidates = new CandidateSet();
    private final CandidateSet working = new CandidateSet();
    private SchedulingRequest request;
    private PoolSnapshot snapshot;
    private SnapshotIndex index;
    private SchedulerState state;
    private RandomGenerator random;
    private long nowMs;
    private String shedReason;
    private boolean explanations;
    private double[] totals = new double[16];
    private double[][] scorerScores = new double[4][16];
    private int[] chosen = new int[4];
    private boolean[] flags = new boolean[16];
    private long[] hashes = new long[64];
    private int hashCount = -1;
    private int[] matchBlocks = new int[16];
    private boolean matched;
    private final long[] scratchLong = new long[2];

    /** Starts a cycle; the candidate set is left empty for the engine to fill. */
    public void begin(SchedulingRequest request, PoolSnapshot snapshot, SnapshotIndex index, SchedulerState state,
            RandomGenerator random, long nowMs, boolean explanations) {
        this.request = request;
        this.snapshot = snapshot;
        this.index = index;
        this.state = state;
        this.random = random;
        this.nowMs = nowMs;
        this.explanations = explanations;
        this.shedReason = null;
        this.hashCount = -1;
        this.matched = false;
        candidates.clear();
        working.clear();
    }

    /** Drops references to the request and snapshot once the cycle is over. */
    public void end() {
        request = null;
        snapshot = null;
        index = null;
        candidates.clear();
        working.clear();
    }

    public SchedulingRequest request() {
        return request;
    }

    public PoolSnapshot snapshot() {
        return snapshot;
    }

    public SnapshotIndex index() {
        return index;
    }

    public SchedulerState state() {
        return state;
    }

    public RandomGenerator random() {
        return random;
    }

    public long nowMs() {
        return nowMs;
    }

    /** The candidates every profile starts from. */
    public CandidateSet candidates() {
        return candidates;
    }

    void addCandidate(EndpointSnapshot e, int snapIdx) {
        candidates.add(e, snapIdx);
    }

    /** A fresh copy of the candidates for one profile run. */
    CandidateSet workingSet() {
        working.copyFrom(candidates);
        shedReason = null;
        return working;
    }

    /** Asks for the request to be dropped with 429. */
    public void shed(String reason) {
        this.shedReason = reason;
    }

    public Optional<String> shedReason() {
        return Optional.ofNullable(shedReason);
    }

    int maxEndpoints() {
        return 1 + request.fallbacks();
    }

    /** Whether this pick's explanation includes per-plugin scores and the scorers' notes. */
    boolean detailedExplanation() {
        return explanations || request.explain();
    }

    double[] totals(int n) {
        if (totals.length < n) {
            totals = new double[Math.max(n, totals.length * 2)];
        }
        Arrays.fill(totals, 0, n, 0);
        return totals;
    }

    double[] scorerScores(int s, int n) {
        if (scorerScores.length <= s) {
            scorerScores = Arrays.copyOf(scorerScores, s + 4);
        }
        double[] a = scorerScores[s];
        if (a == null || a.length < n) {
            a = new double[Math.max(n, 16)];
            scorerScores[s] = a;
        }
        return a;
    }

    double[] scorerScores(int s) {
        return scorerScores[s];
    }

    int[] chosenBuffer(int max) {
        if (chosen.length < max) {
            chosen = new int[max];
        }
        return chosen;
    }

    /** A two-element scratch array for out-parameters (plugins, on the cycle's thread). */
    public long[] scratchLong() {
        return scratchLong;
    }

    /** A cleared boolean scratch array of at least {@code n} entries (for filters). */
    public boolean[] flags(int n) {
        if (flags.length < n) {
            flags = new boolean[Math.max(n, flags.length * 2)];
        }
        Arrays.fill(flags, 0, n, false);
        return flags;
    }

    /** The request's prefix block hashes (computed once per cycle); the count is {@link #prefixHashCount()}. */
    public long[] prefixHashes() {
        if (hashCount < 0) {
            int max = state.prefixIndex().hasher().maxBlocks();
            if (hashes.length < max) {
                hashes = new long[max];
            }
            hashCount = state.prefixIndex().hasher().hash(request.targetModel(), request.prompt(), hashes);
        }
        return hashes;
    }

    /** How many prefix hashes the request has. */
    public int prefixHashCount() {
        prefixHashes();
        return hashCount;
    }

    /**
     * Leading prefix blocks endpoint (snapshot position) {@code snapIdx} holds, from this EPP's prefix index
     * (computed once per cycle for the whole snapshot).
     */
    public int prefixMatchedBlocks(int snapIdx) {
        if (!matched) {
            int n = snapshot.endpoints().size();
            if (matchBlocks.length < n) {
                matchBlocks = new int[Math.max(n, matchBlocks.length * 2)];
            }
            Arrays.fill(matchBlocks, 0, n, 0);
            long[] h = prefixHashes();
            state.prefixIndex().match(h, hashCount, index, matchBlocks);
            matched = true;
        }
        return matchBlocks[snapIdx];
    }

    /** Fraction of the request's prefix blocks endpoint {@code snapIdx} holds; 0 when the prompt has no block. */
    public double prefixMatchFraction(int snapIdx) {
        int total = prefixHashCount();
        return total == 0 ? 0 : (double) prefixMatchedBlocks(snapIdx) / total;
    }
}
