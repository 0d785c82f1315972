package dev.osprey.sim;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.osprey.sim.engine.EngineSnapshot;
import dev.osprey.sim.http.CompletionsHandler;
import dev.osprey.sim.http.HealthHandler;
import dev.osprey.sim.http.LoraAdminHandler;
import dev.osprey.sim.http.MetricsHandler;
import dev.osprey.sim.http.ModelsHandler;
import dev.osprey.sim.metrics.MetricsPage;
import dev.osprey.sim.serving.EngineBackend;
import dev.osprey.sim.serving.InferenceBackend;
import dev.osprey.sim.serving.ServedModels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated model server on one address: the OpenAI-compatible API, {@code /metrics},
 * {@code /health}, {@code /v1/models} and LoRA administration, served by the JDK HTTP server.
 * Several instances can run in one JVM on different ports or different 127/8 addresses.
 *
 * <p>Thread-safe. The caller owns the instance and must {@link #close()} it; closing is prompt and
 * idempotent, and requests still in flight are answered with 503 or cut off.
 */
public final class ModelServerSim implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelServerSim.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  /** The JDK HTTP server's switch for TCP_NODELAY on accepted connections. */
  static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private final SimConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final InferenceBackend backend;
  private final ServedModels models;
  private final InetSocketAddress address;
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile FailureInjection failures;
  private volatile int backgroundLoad;

  private ModelServerSim(SimConfig config) throws IOException {
    this.config = config;
    this.failures = config.failures();
    this.models = new ServedModels(config.modelName(), config.loraAdapters());
    // TCP_NODELAY on accepted connections. The JDK server reads this property once, when its first server is
    // created; with Nagle on, the first SSE chunk after the response headers waits for the client's delayed ACK
    // (about 40 ms on Linux), which would add to every measured time to first token. -D...=false still wins.
    System.getProperties().putIfAbsent(NODELAY_PROPERTY, "true");
    this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 512);
    this.address = new InetSocketAddress(config.host(), server.getAddress().getPort());
    int instance = INSTANCES.incrementAndGet();
    this.backend = new EngineBackend(config.engineConfig(), "sim-" + instance);
    this.executor = Executors.newCachedThreadPool(daemonThreads("sim-" + instance + "-http-"));
    server.setExecutor(executor);
    route("/v1/completions", new CompletionsHandler(false, models, backend, config.maxModelLen(),
        config.seed(), () -> failures));
    route("/v1/chat/completions", new CompletionsHandler(true, models, backend,
        config.maxModelLen(), config.seed(), () -> failures));
    route("/metrics", new MetricsHandler(backend,
        new MetricsPage(config.metricsDialect(), config.modelName(), config.engineLabel(),
            config.prefixCaching()),
        () -> backgroundLoad, () -> failures, closedLatch));
    route("/health", new HealthHandler());
    route("/v1/models", new ModelsHandler(models, config.maxModelLen()));
    route("/v1/load_lora_adapter", new LoraAdminHandler(models, true));
    route("/v1/unload_lora_adapter", new LoraAdminHandler(models, false));
  }

  /**
   * Binds and starts a server.
   *
   * @throws IOException if the address cannot be bound
   */
  public static ModelServerSim start(SimConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    ModelServerSim sim = new ModelServerSim(config);
    sim.server.start();
    LOG.debug("model-server-sim {} serving {} ({} profile)", sim.hostPort(), config.modelName(),
        config.profile().name());
    return sim;
  }

  private void route(String path, HttpHandler handler) {
    String instance = hostPort();
    server.createContext(path, handler).getFilters().add(new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        exchange.getResponseHeaders().set("x-osprey-sim-instance", instance);
        chain.doFilter(exchange);
      }

      @Override
      public String description() {
        return "adds the x-osprey-sim-instance header";
      }
    });
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The bound address, with the actual port when the configured port was 0. */
  public InetSocketAddress address() {
    return address;
  }

  /** {@code host:port} of the bound address. */
  public String hostPort() {
    return address.getHostString() + ":" + address.getPort();
  }

  /** {@code http://host:port}, without a trailing slash. */
  public String baseUrl() {
    return "http://" + hostPort();
  }

  /** The configuration this server was started with. */
  public SimConfig config() {
    return config;
  }

  /**
   * Synthetic extra load: adds {@code queuedRequests} to the reported waiting count and makes every
   * engine step {@code 1 + queuedRequests / maxNumSeqs} times slower. 0 removes it.
   */
  public void setBackgroundLoad(int queuedRequests) {
    if (queuedRequests < 0) {
      throw new IllegalArgumentException("queuedRequests must be >= 0: " + queuedRequests);
    }
    backgroundLoad = queuedRequests;
    backend.setBackgroundLoad(queuedRequests);
  }

  /** Current synthetic extra load. */
  public int backgroundLoad() {
    return backgroundLoad;
  }

  /** Replaces the injected faults; takes effect for requests and scrapes that start afterwards. */
  public void setFailures(FailureInjection failures) {
    this.failures = Objects.requireNonNull(failures, "failures");
  }

  /** Current injected faults. */
  public FailureInjection failures() {
    return failures;
  }

  /** Registers a LoRA adapter as {@code /v1/load_lora_adapter} does; false if already present. */
  public boolean loadAdapter(String name) {
    return models.register(name, name);
  }

  /** Unregisters a LoRA adapter; false if it was not registered. */
  public boolean unloadAdapter(String name) {
    return models.unregister(name);
  }

  /** Requests that completed successfully. */
  public long requestsServed() {
    return backend.snapshot().finishedRequests();
  }

  /** The engine's current state and counters (what {@code /metrics} shows, minus background load). */
  public EngineSnapshot snapshot() {
    return backend.snapshot();
  }

  /** Stops the server promptly; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closedLatch.countDown();
    backend.close();
    server.stop(0);
    executor.shutdownNow();
    LOG.debug("model-server-sim {} stopped", hostPort());
  }
}
