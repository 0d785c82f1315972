package dev.osprey.sim.metrics;

/**
 * Immutable state of a {@link Histogram}.
 *
 * @param bounds finite upper bounds, increasing
 * @param cumulativeCounts observations at or below each bound
 * @param sum sum of all observations
 * @param count number of observations (the +Inf bucket)
 */
public record HistogramSnapshot(double[] bounds, long[] cumulativeCounts, double sum, long count) {

  /** An empty histogram with the given bounds. */
  public static HistogramSnapshot empty(double[] bounds) {
    return new HistogramSnapshot(bounds.clone(), new long[bounds.length], 0.0, 0L);
  }

  /** Mean of the observations, or 0 when there are none. */
  public double mean() {
    return count == 0 ? 0.0 : sum / count;
  }
}
