package dev.osprey.bench.sim;

import java.util.List;

/**
 * One strategy under one pipeline delay.
 *
 * @param label strategy name, plus {@code @<delay>ms} when the scenario has several delays
 * @param strategy strategy name
 * @param pipelineDelayMs delay from scrape to picker
 * @param stages per-stage figures
 * @param wallMillis real time the simulation took
 */
public record VariantResult(String label, String strategy, int pipelineDelayMs, List<StageResult> stages,
        long wallMillis) {
}
