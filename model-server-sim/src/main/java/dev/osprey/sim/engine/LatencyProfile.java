package dev.osprey.sim.engine;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Cost model and hardware defaults of one simulated deployment.
 *
 * <p>An engine step that computes {@code p} prefill tokens, decodes {@code s} sequences and touches
 * {@code k} context tokens in total takes {@code a + b·p + c·s + d·k} milliseconds
 * ({@link #stepMillis}). Before the engine sees a request the API server spends
 * {@link #requestOverhead} on it (HTTP, tokenization, detokenization of the first token), which adds to
 * time-to-first-token but occupies no batch capacity.
 *
 * <p>{@code targetTtftMillis}, {@code targetItlMillis} and {@code targetFullBatchItlMillis} are the
 * public figures the coefficients were fitted to: TTFT at low load for a prompt of
 * {@code referencePromptTokens}, and inter-token latency at batch size 1 and at {@code maxNumSeqs}
 * with {@code referencePromptTokens} of prompt and {@code referenceOutputTokens} of output.
 *
 * @param name CLI name of the profile
 * @param description one line for {@code --help}
 * @param requestOverhead API-server time per request before it is queued in the engine
 * @param stepBaseMillis a: fixed cost of a step (weights read, kernel launches, scheduling)
 * @param prefillMillisPerToken b: cost per prompt token computed in the step
 * @param decodeMillisPerSeq c: cost per sequence decoding one token in the step
 * @param contextMillisPerToken d: cost per context token attended over (KV reads)
 * @param maxNumSeqs default batch size limit
 * @param maxNumBatchedTokens default token budget per step
 * @param numGpuBlocks default KV-cache size in 16-token blocks
 * @param referencePromptTokens prompt length the targets refer to
 * @param referenceOutputTokens output length the targets refer to
 * @param targetTtftMillis published TTFT at low load
 * @param targetItlMillis published inter-token latency at low load
 * @param targetFullBatchItlMillis published inter-token latency at a full batch
 */
public record LatencyProfile(
    String name,
    String description,
    Duration requestOverhead,
    double stepBaseMillis,
    double prefillMillisPerToken,
    double decodeMillisPerSeq,
    double contextMillisPerToken,
    int maxNumSeqs,
    int maxNumBatchedTokens,
    int numGpuBlocks,
    int referencePromptTokens,
    int referenceOutputTokens,
    double targetTtftMillis,
    double targetItlMillis,
    double targetFullBatchItlMillis) {

  /** Fast profile for tests: a few milliseconds per request. The default. */
  public static final LatencyProfile TEST = new LatencyProfile(
      "test", "fast profile for tests: ~4 ms TTFT, ~2 ms per token",
      Duration.ofMillis(1), 2.0, 0.004, 0.05, 0.00001,
      16, 2048, 4096, 256, 16, 4.1, 2.1, 3.0);

  /** Llama-3.1-8B on one H100 (llm-d reference profile: TTFT 100 ms, ITL 12 ms, 2x at full batch). */
  public static final LatencyProfile H100_8B = new LatencyProfile(
      "h100-8b", "8B model on one H100: ~100 ms TTFT, ~12 ms ITL, ~2x ITL at 256 sequences",
      Duration.ofMillis(70), 11.9, 0.065, 0.015, 0.0001,
      256, 8192, 28000, 256, 128, 100.0, 12.0, 24.0);

  /** Llama-3.1-70B on eight H100s, tensor parallel (llm-d reference: TTFT 200 ms, ITL 25 ms, 3x). */
  public static final LatencyProfile H100X8_70B = new LatencyProfile(
      "h100x8-70b", "70B model on 8 H100 (TP8): ~200 ms TTFT, ~25 ms ITL, ~3x ITL at 256 sequences",
      Duration.ofMillis(135), 24.5, 0.15, 0.04, 0.00049,
      256, 8192, 85000, 256, 128, 200.0, 25.0, 75.0);

  /** A 1-3B model on one L40S (llm-d reference: TTFT 110 ms, ITL 15 ms, 1.5x at full batch). */
  public static final LatencyProfile L40S_3B = new LatencyProfile(
      "l40s-3b", "1-3B model on one L40S: ~110 ms TTFT, ~15 ms ITL, ~1.5x ITL at 128 sequences",
      Duration.ofMillis(82), 14.8, 0.05, 0.02, 0.0001255,
      128, 4096, 12000, 256, 128, 110.0, 15.0, 22.5);

  /** Every built-in profile, the default first. */
  public static final List<LatencyProfile> BUILT_IN = List.of(TEST, H100_8B, H100X8_70B, L40S_3B);

  public LatencyProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(requestOverhead, "requestOverhead");
    if (stepBaseMillis < 0 || prefillMillisPerToken < 0 || decodeMillisPerSeq < 0
        || contextMillisPerToken < 0) {
      throw new IllegalArgumentException("step cost coefficients must be >= 0 in profile " + name);
    }
    if (maxNumSeqs < 1 || maxNumBatchedTokens < 1 || numGpuBlocks < 1) {
      throw new IllegalArgumentException("capacity limits must be >= 1 in profile " + name);
    }
  }

  /** Looks up a built-in profile by name, ignoring case. */
  public static Optional<LatencyProfile> byName(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return BUILT_IN.stream().filter(p -> p.name.equals(wanted)).findFirst();
  }

  /**
   * The same deployment on hardware {@code factor} times slower: every time (request overhead, step cost
   * coefficients, published targets) multiplied by {@code factor}, capacities unchanged. With arrival rates
   * divided and durations multiplied by the same factor, a workload queues exactly as on this profile with every
   * latency {@code factor} times longer, at {@code 1/factor} of the tokens per second, which lets a real-time run
   * on a small machine keep up. A factor of 1 returns this profile.
   *
   * @throws IllegalArgumentException when {@code factor} is not positive and finite
   */
  public LatencyProfile slowedBy(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("slowdown must be a positive number, got " + factor);
    }
    if (factor == 1.0) {
      return this;
    }
    return new LatencyProfile(name, description + String.format(Locale.ROOT, " (slowed down %gx)", factor),
        slowed(requestOverhead, factor), stepBaseMillis * factor,
        prefillMillisPerToken * factor, decodeMillisPerSeq * factor, contextMillisPerToken * factor,
        maxNumSeqs, maxNumBatchedTokens, numGpuBlocks, referencePromptTokens, referenceOutputTokens,
        targetTtftMillis * factor, targetItlMillis * factor, targetFullBatchItlMillis * factor);
  }

  /**
   * {@code time} on hardware {@code factor} times slower: how {@link #slowedBy} scales the request overhead, and how
   * whoever applies a slowdown scales the times a profile does not hold (adapter loads).
   */
  public static Duration slowed(Duration time, double factor) {
    return factor == 1.0 ? time : Duration.ofNanos(Math.round(time.toNanos() * factor));
  }

  /**
   * Duration of one step in milliseconds.
   *
   * @param prefillTokens prompt tokens computed in the step (all sequences)
   * @param decodeSeqs sequences producing a decode token in the step
   * @param contextTokens sum over scheduled sequences of their context length after the step
   */
  public double stepMillis(long prefillTokens, long decodeSeqs, long contextTokens) {
    return stepBaseMillis + prefillMillisPerToken * prefillTokens + decodeMillisPerSeq * decodeSeqs
        + contextMillisPerToken * contextTokens;
  }

  /** {@link #stepMillis} in nanoseconds, rounded, at least 1. */
  public long stepNanos(long prefillTokens, long decodeSeqs, long contextTokens) {
    return Math.max(1L, Math.round(stepMillis(prefillTokens, decodeSeqs, contextTokens) * 1e6));
  }
}
