package dev.osprey.sim.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.osprey.sim.FailureInjection;
import dev.osprey.sim.metrics.MetricsPage;
import dev.osprey.sim.serving.InferenceBackend;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the backend's state as a Prometheus page, after any injected scrape delay;
 * a hanging scrape waits until the server closes. Thread-safe.
 */
public final class MetricsHandler implements HttpHandler {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final InferenceBackend backend;
  private final MetricsPage page;
  private final IntSupplier backgroundLoad;
  private final Supplier<FailureInjection> failures;
  private final CountDownLatch closed;

  /**
   * @param backend source of state
   * @param page renderer
   * @param backgroundLoad synthetic waiting requests to add
   * @param failures current fault settings
   * @param closed released when the server closes, ending hanging scrapes
   */
  public MetricsHandler(InferenceBackend backend, MetricsPage page, IntSupplier backgroundLoad,
      Supplier<FailureInjection> failures, CountDownLatch closed) {
    this.backend = backend;
    this.page = page;
    this.backgroundLoad = backgroundLoad;
    this.failures = failures;
    this.closed = closed;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!HttpIo.requireMethod(exchange, "GET")) {
        return;
      }
      FailureInjection f = failures.get();
      try {
        if (f.hangScrapes()) {
          closed.await();
          return;
        }
        if (!f.scrapeDelay().isZero()
            && closed.await(f.scrapeDelay().toNanos(), TimeUnit.NANOSECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (f.garbageMetrics()) {
        HttpIo.sendText(exchange, 200, CONTENT_TYPE,
            "vllm:num_requests_waiting{model_name=\"broken 1\n<html>garbage</html>\n"
                + "# TYPE\n\u0000not-a-number NaNish{\n");
        return;
      }
      String text = page.render(backend.snapshot(), backgroundLoad.getAsInt(),
          System.currentTimeMillis() / 1000.0);
      HttpIo.sendText(exchange, 200, CONTENT_TYPE, text);
    }
  }
}
