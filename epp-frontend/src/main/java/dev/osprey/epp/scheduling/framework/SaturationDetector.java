package dev.osprey.epp.scheduling.framework;

/** Judges how saturated the candidate set is; ≥ 1.0 means saturated (sheddable requests get 429). */
public interface SaturationDetector extends Plugin {

    /** Pool saturation over {@code candidates}; an empty set is fully saturated (1.0). */
    double saturation(CycleState cycle, CandidateSet candidates);
}
