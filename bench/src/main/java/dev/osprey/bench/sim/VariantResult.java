package dev.osprey.bench.sim;

import java.util.List;

/**
 * One strategy under one pipeline delay and number of picker replicas.
 *
 * @param label strategy name, plus {@code @<delay>ms} when the scenario has several delays and {@code @<n>x} when
 *     it has several replica counts
 * @param strategy strategy name
 * @param pipelineDelayMs delay from scrape to picker
 * @param eppReplicas active-active picker replicas the requests were spread over
 * @param stages per-stage figures
 * @param wallMillis real time the simulation took
 */
public record VariantResult(String label, String strategy, int pipelineDelayMs, int eppReplicas,
        List<StageResult> stages, long wallMillis) {
}
