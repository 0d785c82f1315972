package dev.osprey.epp.request;

/** What to do with a request whose model has no InferenceModel. */
public enum UnknownModelPolicy {
    /** Route it unchanged with criticality Standard. */
    PASS_THROUGH,
    /** Answer 404. */
    REJECT
}
