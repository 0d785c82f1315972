package dev.osprey.epp.scheduling.framework;

/** Scores candidates in [0,1] (higher is better; values outside are clamped). Thread-safe. */
public interface Scorer extends Plugin {

    /** Writes one score per candidate into {@code out[0..candidates.size())}. */
    void score(CycleState cycle, CandidateSet candidates, double[] out);

    /** A short human-readable note on why candidate {@code i} scored as it did; empty when nothing to say. */
    default String explain(CycleState cycle, CandidateSet candidates, int i) {
        return "";
    }
}
