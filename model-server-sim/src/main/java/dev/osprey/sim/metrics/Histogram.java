package dev.osprey.sim.metrics;

import java.util.Arrays;

/**
 * A cumulative histogram with fixed upper bounds, as Prometheus exposes it. Not thread-safe: the
 * owner (the engine) guards it; readers take a {@link #snapshot()}.
 */
public final class Histogram {

  /** vLLM's buckets for {@code vllm:time_to_first_token_seconds}. */
  public static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
      0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
  /** vLLM's buckets for {@code vllm:inter_token_latency_seconds}. */
  public static final double[] ITL_BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4,
      0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
  /** vLLM's buckets for request-level latencies (e2e, queue, prefill, decode). */
  public static final double[] REQUEST_BUCKETS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0,
      15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};

  private final double[] bounds;
  private final long[] counts;
  private double sum;
  private long count;

  /** @param bounds strictly increasing finite upper bounds; +Inf is implicit */
  public Histogram(double[] bounds) {
    this.bounds = bounds.clone();
    this.counts = new long[bounds.length];
  }

  /** Records one observation. */
  public void observe(double value) {
    int i = Arrays.binarySearch(bounds, value);
    int first = i >= 0 ? i : -i - 1;
    for (int b = first; b < bounds.length; b++) {
      counts[b]++;
    }
    sum += value;
    count++;
  }

  /** An immutable copy of the current state. */
  public HistogramSnapshot snapshot() {
    return new HistogramSnapshot(bounds.clone(), counts.clone(), sum, count);
  }
}
