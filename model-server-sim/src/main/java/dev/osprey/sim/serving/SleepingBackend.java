package dev.osprey.sim.serving;

import dev.osprey.sim.SimConfig;
import dev.osprey.sim.engine.EngineSnapshot;
import dev.osprey.sim.engine.LatencyProfile;
import dev.osprey.sim.metrics.Histogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Simple backend: each request runs on the caller's thread, holds one of {@code maxNumSeqs} seats
 * and sleeps a load-dependent time per token. TTFT = overhead + (a + b·prompt)·f and each further
 * token takes (a + c·running + d·context)·f, where f = 1 + backgroundLoad / maxNumSeqs.
 */
public final class SleepingBackend implements InferenceBackend {

  private final SimConfig config;
  private final LatencyProfile profile;
  private final Semaphore seats;
  private final Object lock = new Object();
  private final Map<String, Integer> waitingAdapters = new TreeMap<>();
  private final Map<String, Integer> runningAdapters = new TreeMap<>();
  private final Histogram ttft = new Histogram(Histogram.TTFT_BUCKETS);
  private final Histogram itl = new Histogram(Histogram.ITL_BUCKETS);
  private final Histogram e2e = new Histogram(Histogram.REQUEST_BUCKETS);
  private final Histogram queue = new Histogram(Histogram.REQUEST_BUCKETS);
  private int waiting;
  private int running;
  private int usedBlocks;
  private long promptTokens;
  private long generationTokens;
  private long finished;
  private volatile int backgroundLoad;
  private volatile boolean closed;

  public SleepingBackend(SimConfig config) {
    this.config = config;
    this.profile = config.profile();
    this.seats = new Semaphore(config.maxNumSeqs(), true);
  }

  @Override
  public RequestHandle submit(GenerationRequest request, TokenSink sink) {
    long arrival = System.nanoTime();
    String adapter = request.adapter();
    synchronized (lock) {
      waiting++;
      bump(waitingAdapters, adapter, 1);
    }
    boolean seated = false;
    try {
      seats.acquire();
      seated = true;
      long scheduled = System.nanoTime();
      int prompt = request.promptTokens().length;
      int blocks = blocks(prompt);
      synchronized (lock) {
        waiting--;
        bump(waitingAdapters, adapter, -1);
        running++;
        bump(runningAdapters, adapter, 1);
        usedBlocks += blocks;
        promptTokens += prompt;
        queue.observe((scheduled - arrival) / 1e9);
      }
      sleepMillis(profile.requestOverhead().toNanos() / 1e6
          + factor() * profile.stepMillis(prompt, 0, prompt));
      long last = System.nanoTime();
      sink.onToken(0);
      synchronized (lock) {
        ttft.observe((last - arrival) / 1e9);
        generationTokens++;
      }
      for (int i = 1; i < request.maxTokens(); i++) {
        int batch;
        synchronized (lock) {
          batch = running;
        }
        sleepMillis(factor() * profile.stepMillis(0, batch, (long) batch * (prompt + i)));
        long now = System.nanoTime();
        sink.onToken(i);
        synchronized (lock) {
          itl.observe((now - last) / 1e9);
          generationTokens++;
          int more = blocks(prompt + i + 1) - blocks;
          usedBlocks += more;
          blocks += more;
        }
        last = now;
      }
      synchronized (lock) {
        running--;
        bump(runningAdapters, adapter, -1);
        usedBlocks -= blocks;
        finished++;
        e2e.observe((System.nanoTime() - arrival) / 1e9);
      }
      sink.onFinish(new GenerationResult(prompt, request.maxTokens(), 0, "length"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      synchronized (lock) {
        if (!seated) {
          waiting--;
          bump(waitingAdapters, adapter, -1);
        }
      }
      sink.onError(503, "server shutting down");
    } finally {
      if (seated) {
        seats.release();
      }
    }
    return () -> { };
  }

  private int blocks(int tokens) {
    return (tokens + config.blockSize() - 1) / config.blockSize();
  }

  private double factor() {
    return 1.0 + (double) backgroundLoad / config.maxNumSeqs();
  }

  private void sleepMillis(double millis) throws InterruptedException {
    if (closed) {
      throw new InterruptedException("closed");
    }
    TimeUnit.NANOSECONDS.sleep(Math.round(millis * 1e6));
  }

  private static void bump(Map<String, Integer> counts, String adapter, int delta) {
    if (adapter != null) {
      counts.merge(adapter, delta, (a, b) -> a + b == 0 ? null : a + b);
    }
  }

  @Override
  public EngineSnapshot snapshot() {
    synchronized (lock) {
      return new EngineSnapshot(waiting, running, Math.min(usedBlocks, config.numGpuBlocks()),
          config.numGpuBlocks(), config.blockSize(), config.maxLoras(),
          new ArrayList<>(runningAdapters.keySet()), List.copyOf(waitingAdapters.keySet()),
          promptTokens, 0L, promptTokens, generationTokens, finished, 0L, ttft.snapshot(),
          itl.snapshot(), e2e.snapshot(), queue.snapshot());
    }
  }

  @Override
  public void setBackgroundLoad(int queuedRequests) {
    backgroundLoad = Math.max(0, queuedRequests);
  }

  @Override
  public void close() {
    closed = true;
  }
}
