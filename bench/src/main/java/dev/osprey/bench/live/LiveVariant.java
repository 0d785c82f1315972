package dev.osprey.bench.live;

import dev.osprey.bench.sim.StageResult;
import java.util.List;
import java.util.Map;

/**
 * One strategy's live run. In {@code stages}, {@code refused} counts every error (no complete streamed answer:
 * an HTTP status other than 200 and 429, a broken stream or the drain timeout); {@code shed} counts 429 answers.
 *
 * @param strategy the scenario's strategy name
 * @param scheduler the EPP scheduler setting it ran with
 * @param stages per-stage figures, as in the simulation
 * @param errorsByReason errors per short reason
 * @param startupMillis pipeline start until the EPP was ready
 * @param maxSendLagMillis how late the latest request left after its scheduled arrival
 * @param wallMillis the whole run, start-up and drain included
 */
record LiveVariant(String strategy, String scheduler, List<StageResult> stages, Map<String, Integer> errorsByReason,
        long startupMillis, long maxSendLagMillis, long wallMillis) {
}
