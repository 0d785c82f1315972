package dev.osprey.sim;

import dev.osprey.sim.engine.EngineConfig;
import dev.osprey.sim.engine.LatencyProfile;
import dev.osprey.sim.metrics.MetricsDialect;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Immutable configuration of one simulated model server. Start from {@link #defaults} and change
 * fields with the {@code with...} methods; the constructor validates every field.
 *
 * @param host address to bind, e.g. {@code 127.0.0.1} or any other 127/8 address
 * @param port port to bind; 0 picks a free ephemeral port
 * @param modelName base model served (requests naming another model or adapter get 404)
 * @param maxNumSeqs most sequences in one engine step (vLLM {@code --max-num-seqs})
 * @param maxNumBatchedTokens token budget of one step (vLLM {@code --max-num-batched-tokens})
 * @param numGpuBlocks KV-cache size in blocks
 * @param blockSize tokens per KV block (vLLM default 16)
 * @param maxModelLen longest prompt + max_tokens accepted (vLLM {@code --max-model-len})
 * @param prefixCaching whether full prompt blocks are cached and reused across requests
 * @param maxLoras adapters that can be active in one step (vLLM {@code --max-loras})
 * @param loraAdapters adapters served from start-up (vLLM {@code --lora-modules}); never null
 * @param loraLoadTime time to load an adapter into a GPU slot, added to the step that needs it
 * @param profile step-cost model; {@link LatencyProfile#TEST} by default
 * @param metricsDialect which engine's metric names {@code /metrics} uses
 * @param engineLabel value of the {@code engine} label on metrics (vLLM uses the engine index)
 * @param failures injected faults
 * @param eosProbability per-token probability that the simulated model stops early (ignored when
 *     a request sets {@code ignore_eos}); 0 means every request produces exactly max_tokens
 * @param seed seed of every random choice (early stops, injected errors)
 */
public record SimConfig(
    String host,
    int port,
    String modelName,
    int maxNumSeqs,
    int maxNumBatchedTokens,
    int numGpuBlocks,
    int blockSize,
    int maxModelLen,
    boolean prefixCaching,
    int maxLoras,
    List<String> loraAdapters,
    Duration loraLoadTime,
    LatencyProfile profile,
    MetricsDialect metricsDialect,
    String engineLabel,
    FailureInjection failures,
    double eosProbability,
    long seed) {

  /** Default block size, as in vLLM. */
  public static final int DEFAULT_BLOCK_SIZE = 16;

  public SimConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(loraLoadTime, "loraLoadTime");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(metricsDialect, "metricsDialect");
    Objects.requireNonNull(engineLabel, "engineLabel");
    Objects.requireNonNull(failures, "failures");
    loraAdapters = List.copyOf(loraAdapters);
    require(port >= 0 && port <= 65535, "port must be in 0..65535: " + port);
    require(!modelName.isBlank(), "modelName must not be blank");
    require(maxNumSeqs >= 1, "maxNumSeqs must be >= 1: " + maxNumSeqs);
    require(maxNumBatchedTokens >= 1, "maxNumBatchedTokens must be >= 1: " + maxNumBatchedTokens);
    require(numGpuBlocks >= 1, "numGpuBlocks must be >= 1: " + numGpuBlocks);
    require(blockSize >= 1, "blockSize must be >= 1: " + blockSize);
    require(maxModelLen >= 2, "maxModelLen must be >= 2: " + maxModelLen);
    require(maxLoras >= 1, "maxLoras must be >= 1: " + maxLoras);
    require(!loraLoadTime.isNegative(), "loraLoadTime must not be negative");
    require(eosProbability >= 0.0 && eosProbability < 1.0,
        "eosProbability must be in [0, 1): " + eosProbability);
    for (String adapter : loraAdapters) {
      require(adapter != null && !adapter.isBlank() && !adapter.contains(","),
          "adapter names must be non-blank and contain no comma: " + adapter);
      require(!adapter.equals(modelName), "adapter name equals the base model: " + adapter);
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * The fast test profile: 16 sequences, 2048-token budget, 4096 blocks of 16 tokens, max model
   * length 8192, prefix caching on, 4 LoRA slots, no adapters, 5 ms adapter load, vLLM metric names,
   * engine label "0", no faults, no early stop, seed 42.
   */
  public static SimConfig defaults(String host, int port, String modelName) {
    LatencyProfile p = LatencyProfile.TEST;
    return new SimConfig(host, port, modelName, p.maxNumSeqs(), p.maxNumBatchedTokens(),
        p.numGpuBlocks(), DEFAULT_BLOCK_SIZE, 8192, true, 4, List.of(), Duration.ofMillis(5), p,
        MetricsDialect.VLLM, "0", FailureInjection.none(), 0.0, 42L);
  }

  public SimConfig withHost(String v) {
    return new SimConfig(v, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withPort(int v) {
    return new SimConfig(host, v, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withModelName(String v) {
    return new SimConfig(host, port, v, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withMaxNumSeqs(int v) {
    return new SimConfig(host, port, modelName, v, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withMaxNumBatchedTokens(int v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, v, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withNumGpuBlocks(int v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, v,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withBlockSize(int v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        v, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withMaxModelLen(int v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, v, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withPrefixCaching(boolean v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, v, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withMaxLoras(int v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, v, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withLoraAdapters(List<String> v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, v, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withLoraLoadTime(Duration v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, v, profile,
        metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  /**
   * Sets the profile together with its capacity defaults ({@code maxNumSeqs},
   * {@code maxNumBatchedTokens}, {@code numGpuBlocks}); call the other {@code with} methods after
   * this one to override those.
   */
  public SimConfig withProfile(LatencyProfile v) {
    return new SimConfig(host, port, modelName, v.maxNumSeqs(), v.maxNumBatchedTokens(),
        v.numGpuBlocks(), blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters,
        loraLoadTime, v, metricsDialect, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withMetricsDialect(MetricsDialect v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        v, engineLabel, failures, eosProbability, seed);
  }

  public SimConfig withEngineLabel(String v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, v, failures, eosProbability, seed);
  }

  public SimConfig withFailures(FailureInjection v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, v, eosProbability, seed);
  }

  public SimConfig withEosProbability(double v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, v, seed);
  }

  public SimConfig withSeed(long v) {
    return new SimConfig(host, port, modelName, maxNumSeqs, maxNumBatchedTokens, numGpuBlocks,
        blockSize, maxModelLen, prefixCaching, maxLoras, loraAdapters, loraLoadTime, profile,
        metricsDialect, engineLabel, failures, eosProbability, v);
  }

  /** The engine part of this configuration. */
  public EngineConfig engineConfig() {
    return new EngineConfig(maxNumSeqs, maxNumBatchedTokens, numGpuBlocks, blockSize,
        prefixCaching, maxLoras, loraLoadTime, profile, eosProbability, seed);
  }

  /** {@code host:port} as configured (the port may be 0; see {@code ModelServerSim#address}). */
  public String hostPort() {
    return host + ":" + port;
  }
}
