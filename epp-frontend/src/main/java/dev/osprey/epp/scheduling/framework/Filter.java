package dev.osprey.epp.scheduling.framework;

/** Removes candidates. Plugins are shared by all requests: implementations are thread-safe. */
public interface Filter extends Plugin {

    /**
     * Shrinks {@code candidates} in place (or leaves it). May call {@link CycleState#shed} to ask for the request
     * to be dropped with 429.
     */
    void filter(CycleState cycle, CandidateSet candidates);
}
