package dev.osprey.epp.scheduling.framework;

/** Chooses endpoints from scored candidates. Thread-safe. */
public interface Picker extends Plugin {

    /**
     * Writes up to {@code max} candidate indices in preference order into {@code out}.
     *
     * @param totals weighted total score per candidate
     * @return how many were written (at least 1 when there are candidates)
     */
    int pick(CycleState cycle, CandidateSet candidates, double[] totals, int max, int[] out);
}
