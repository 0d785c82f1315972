package dev.osprey.sim.engine;

import dev.osprey.sim.metrics.HistogramSnapshot;
import java.util.List;

/**
 * Immutable view of an engine's state and counters at one instant, as the metrics page shows it.
 *
 * @param waiting requests queued in the engine (not yet scheduled, or preempted)
 * @param running requests holding a place in the batch
 * @param usedBlocks KV blocks referenced by running requests
 * @param totalBlocks KV blocks in the cache
 * @param blockSize tokens per block
 * @param maxLoras adapter slots
 * @param runningAdapters adapters of running requests, sorted
 * @param waitingAdapters adapters of waiting requests, sorted
 * @param prefixQueryTokens prompt tokens looked up in the prefix cache
 * @param prefixHitTokens of those, tokens found in the cache
 * @param promptTokens prompt tokens of requests admitted to the batch (prefilled or cached)
 * @param generationTokens output tokens produced
 * @param finishedRequests requests that completed
 * @param preemptions times a running request was preempted
 * @param ttft time to first token, seconds
 * @param itl time between consecutive output tokens, seconds
 * @param e2e arrival to last token, seconds
 * @param queueTime arrival to first scheduling, seconds
 */
public record EngineSnapshot(
    int waiting,
    int running,
    int usedBlocks,
    int totalBlocks,
    int blockSize,
    int maxLoras,
    List<String> runningAdapters,
    List<String> waitingAdapters,
    long prefixQueryTokens,
    long prefixHitTokens,
    long promptTokens,
    long generationTokens,
    long finishedRequests,
    long preemptions,
    HistogramSnapshot ttft,
    HistogramSnapshot itl,
    HistogramSnapshot e2e,
    HistogramSnapshot queueTime) {

  public EngineSnapshot {
    runningAdapters = List.copyOf(runningAdapters);
    waitingAdapters = List.copyOf(waitingAdapters);
  }

  /** Fraction of KV blocks in use, 0 to 1. */
  public double kvUsage() {
    return totalBlocks == 0 ? 0.0 : Math.min(1.0, (double) usedBlocks / totalBlocks);
  }
}
