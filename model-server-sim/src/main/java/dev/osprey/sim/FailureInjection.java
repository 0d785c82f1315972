package dev.osprey.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults the simulator injects on purpose, for testing the components that read from it.
 *
 * @param errorRate probability in [0, 1] that an inference request fails with {@code errorStatus}
 * @param errorStatus HTTP status of injected inference errors (429, 500, 503, ...)
 * @param scrapeDelay extra time before {@code /metrics} answers ({@link Duration#ZERO} for none)
 * @param hangScrapes when true {@code /metrics} never answers (until the client gives up or the
 *     server closes)
 * @param garbageMetrics when true {@code /metrics} answers 200 with a page that is not valid
 *     Prometheus text
 */
public record FailureInjection(
    double errorRate, int errorStatus, Duration scrapeDelay, boolean hangScrapes,
    boolean garbageMetrics) {

  private static final FailureInjection NONE =
      new FailureInjection(0.0, 503, Duration.ZERO, false, false);

  public FailureInjection {
    if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
      throw new IllegalArgumentException("errorRate must be in [0, 1]: " + errorRate);
    }
    if (errorStatus < 400 || errorStatus > 599) {
      throw new IllegalArgumentException("errorStatus must be a 4xx or 5xx status: " + errorStatus);
    }
    Objects.requireNonNull(scrapeDelay, "scrapeDelay");
    if (scrapeDelay.isNegative()) {
      throw new IllegalArgumentException("scrapeDelay must not be negative: " + scrapeDelay);
    }
  }

  /** No injected faults. */
  public static FailureInjection none() {
    return NONE;
  }

  public FailureInjection withErrorRate(double rate, int status) {
    return new FailureInjection(rate, status, scrapeDelay, hangScrapes, garbageMetrics);
  }

  public FailureInjection withScrapeDelay(Duration delay) {
    return new FailureInjection(errorRate, errorStatus, delay, hangScrapes, garbageMetrics);
  }

  public FailureInjection withHangScrapes(boolean hang) {
    return new FailureInjection(errorRate, errorStatus, scrapeDelay, hang, garbageMetrics);
  }

  public FailureInjection withGarbageMetrics(boolean garbage) {
    return new FailureInjection(errorRate, errorStatus, scrapeDelay, hangScrapes, garbage);
  }
}
