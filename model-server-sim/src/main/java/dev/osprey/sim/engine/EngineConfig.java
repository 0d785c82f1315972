package dev.osprey.sim.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of one {@link Engine}.
 *
 * @param maxNumSeqs most sequences in a step
 * @param maxNumBatchedTokens token budget of a step (prefill chunks plus one per decode)
 * @param numGpuBlocks KV-cache blocks
 * @param blockSize tokens per block
 * @param prefixCaching whether full blocks are cached by chained hash and reused
 * @param maxLoras adapters resident on the GPU at once, at least 1
 * @param loraLoadTime added to a step for every adapter it must load into a slot
 * @param profile step cost model
 * @param eosProbability per-token chance of an early stop unless the request ignores EOS
 * @param seed seed of early stops
 */
public record EngineConfig(
    int maxNumSeqs,
    int maxNumBatchedTokens,
    int numGpuBlocks,
    int blockSize,
    boolean prefixCaching,
    int maxLoras,
    Duration loraLoadTime,
    LatencyProfile profile,
    double eosProbability,
    long seed) {

  public EngineConfig {
    Objects.requireNonNull(loraLoadTime, "loraLoadTime");
    Objects.requireNonNull(profile, "profile");
    if (maxNumSeqs < 1 || maxNumBatchedTokens < 1 || numGpuBlocks < 1 || blockSize < 1
        || maxLoras < 1) {
      throw new IllegalArgumentException("engine limits must be >= 1");
    }
    if (eosProbability < 0.0 || eosProbability >= 1.0) {
      throw new IllegalArgumentException("eosProbability must be in [0, 1): " + eosProbability);
    }
  }

  /** A profile's capacity defaults, block size 16, prefix caching, 4 LoRA slots loading in 5 ms. */
  public static EngineConfig of(LatencyProfile profile) {
    return new EngineConfig(profile.maxNumSeqs(), profile.maxNumBatchedTokens(),
        profile.numGpuBlocks(), 16, true, 4, Duration.ofMillis(5), profile, 0.0, 42L);
  }

  public EngineConfig withMaxNumSeqs(int v) {
    return new EngineConfig(v, maxNumBatchedTokens, numGpuBlocks, blockSize, prefixCaching,
        maxLoras, loraLoadTime, profile, eosProbability, seed);
  }

  public EngineConfig withMaxNumBatchedTokens(int v) {
    return new EngineConfig(maxNumSeqs, v, numGpuBlocks, blockSize, prefixCaching,
        maxLoras, loraLoadTime, profile, eosProbability, seed);
  }

  public EngineConfig withNumGpuBlocks(int v) {
    return new EngineConfig(maxNumSeqs, maxNumBatchedTokens, v, blockSize, prefixCaching,
        maxLoras, loraLoadTime, profile, eosProbability, seed);
  }

  public EngineConfig withPrefixCaching(boolean v) {
    return new EngineConfig(maxNumSeqs, maxNumBatchedTokens, numGpuBlocks, blockSize, v,
        maxLoras, loraLoadTime, profile, eosProbability, seed);
  }

  public EngineConfig withLoras(int slots, Duration loadTime) {
    return new EngineConfig(maxNumSeqs, maxNumBatchedTokens, numGpuBlocks, blockSize,
        prefixCaching, slots, loadTime, profile, eosProbability, seed);
  }

  public EngineConfig withEos(double probability, long newSeed) {
    return new EngineConfig(maxNumSeqs, maxNumBatchedTokens, numGpuBlocks, blockSize,
        prefixCaching, maxLoras, loraLoadTime, profile, probability, newSeed);
  }
}
