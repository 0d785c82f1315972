package dev.osprey.sim.engine;

import dev.osprey.sim.metrics.Histogram;

/** Counters and histograms of one engine, in vLLM's units (tokens, seconds). Not thread-safe. */
final class EngineStats {

  long prefixQueryTokens;
  long prefixHitTokens;
  long promptTokens;
  long generationTokens;
  long finishedRequests;
  long preemptions;
  final Histogram ttft = new Histogram(Histogram.TTFT_BUCKETS);
  final Histogram itl = new Histogram(Histogram.ITL_BUCKETS);
  final Histogram e2e = new Histogram(Histogram.REQUEST_BUCKETS);
  final Histogram queueTime = new Histogram(Histogram.REQUEST_BUCKETS);

  static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
