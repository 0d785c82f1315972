package dev.osprey.sim.engine;

/**
 * Outcome of a finished generation.
 *
 * @param promptTokens prompt length
 * @param completionTokens output tokens produced
 * @param cachedTokens prompt tokens served from the prefix cache at first scheduling
 * @param finishReason {@code length} (hit max_tokens) or {@code stop} (simulated end of sequence)
 */
public record GenerationResult(
    int promptTokens, int completionTokens, int cachedTokens, String finishReason) {
}
