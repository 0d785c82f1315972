package dev.osprey.sim.engine;

import java.util.Objects;

/**
 * One request for tokens, as the HTTP layer hands it to a backend.
 *
 * @param requestId unique id, used in responses and logs
 * @param adapter LoRA adapter name, or null for the base model
 * @param promptTokens prompt token ids; the array must not be modified after submission
 * @param maxTokens most output tokens, at least 1
 * @param ignoreEos when true exactly {@code maxTokens} are produced
 * @param outputSeed seed of the output text and of early stopping
 */
public record GenerationRequest(
    String requestId, String adapter, int[] promptTokens, int maxTokens, boolean ignoreEos,
    long outputSeed) {

  public GenerationRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(promptTokens, "promptTokens");
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1: " + maxTokens);
    }
  }
}
