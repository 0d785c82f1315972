package dev.osprey.sim.serving;

import dev.osprey.sim.engine.Engine;
import dev.osprey.sim.engine.EngineConfig;
import dev.osprey.sim.engine.EngineEvent;
import dev.osprey.sim.engine.EngineSnapshot;
import dev.osprey.sim.engine.GenerationRequest;
import dev.osprey.sim.engine.StepPlan;
import dev.osprey.sim.engine.StepResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives an {@link Engine} in real time with one scheduler thread: begin a step, wait out its
 * duration, complete it, hand its tokens to the requests' sinks, repeat while there is work.
 * Tokens reach sinks after the profile's request overhead (a constant delay on a delivery thread,
 * which keeps their order). Thread-safe: every engine call happens under one lock.
 */
public final class EngineBackend implements InferenceBackend {

  private static final Logger LOG = LoggerFactory.getLogger(EngineBackend.class);

  private final Engine engine;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Map<String, TokenSink> sinks = new HashMap<>();
  private final long origin = System.nanoTime();
  private final long deliveryDelayNanos;
  private final ScheduledExecutorService delivery;
  private final Thread scheduler;
  private volatile boolean closed;

  /**
   * Starts the scheduler thread.
   *
   * @param config engine settings
   * @param threadPrefix prefix of the driver's thread names
   */
  public EngineBackend(EngineConfig config, String threadPrefix) {
    this.engine = new Engine(config);
    this.deliveryDelayNanos = config.profile().requestOverhead().toNanos();
    this.delivery = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadPrefix + "-deliver");
      t.setDaemon(true);
      return t;
    });
    this.scheduler = new Thread(this::run, threadPrefix + "-engine");
    scheduler.setDaemon(true);
    scheduler.start();
  }

  private long now() {
    return System.nanoTime() - origin;
  }

  @Override
  public RequestHandle submit(GenerationRequest request, TokenSink sink) {
    lock.lock();
    try {
      if (closed) {
        sink.onError(503, "server shutting down");
        return () -> { };
      }
      engine.submit(request, now());
      sinks.put(request.requestId(), sink);
      work.signalAll();
    } catch (IllegalArgumentException e) {
      sink.onError(400, e.getMessage());
      return () -> { };
    } finally {
      lock.unlock();
    }
    return () -> cancel(request.requestId());
  }

  private void cancel(String requestId) {
    lock.lock();
    try {
      sinks.remove(requestId);
      engine.cancel(requestId);
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    try {
      while (!closed) {
        StepPlan plan = beginStep();
        if (plan == null) {
          continue;
        }
        sleepUntil(plan.endNanos());
        if (closed) {
          break;
        }
        deliver(completeStep());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("engine driver failed; the simulator stops serving", e);
      failPending("engine failure: " + e);
    }
  }

  /** Waits for work and begins a step; null if none could be formed yet. */
  private StepPlan beginStep() throws InterruptedException {
    lock.lock();
    try {
      while (!closed && !engine.hasWork()) {
        work.await();
      }
      if (closed) {
        return null;
      }
      StepPlan plan = engine.begin(now());
      return plan.isEmpty() ? null : plan;
    } finally {
      lock.unlock();
    }
  }

  private List<Delivery> completeStep() {
    lock.lock();
    try {
      StepResult result = engine.complete();
      List<Delivery> out = new ArrayList<>(result.events().size());
      for (EngineEvent event : result.events()) {
        TokenSink sink = event instanceof EngineEvent.Finished
            ? sinks.remove(event.requestId()) : sinks.get(event.requestId());
        if (sink != null) {
          out.add(new Delivery(sink, event));
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  private void deliver(List<Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    Runnable task = () -> deliveries.forEach(Delivery::run);
    if (deliveryDelayNanos == 0) {
      task.run();
    } else {
      delivery.schedule(task, deliveryDelayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void sleepUntil(long engineNanos) throws InterruptedException {
    long remaining;
    while (!closed && (remaining = engineNanos - now()) > 0) {
      LockSupport.parkNanos(this, remaining);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  private void failPending(String message) {
    List<TokenSink> pending;
    lock.lock();
    try {
      pending = new ArrayList<>(sinks.values());
      sinks.clear();
    } finally {
      lock.unlock();
    }
    pending.forEach(s -> s.onError(503, message));
  }

  @Override
  public EngineSnapshot snapshot() {
    lock.lock();
    try {
      return engine.snapshot();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void setBackgroundLoad(int queuedRequests) {
    lock.lock();
    try {
      engine.setBackgroundLoad(queuedRequests);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    scheduler.interrupt();
    delivery.shutdownNow();
    failPending("server shutting down");
  }

  /** One event bound for one sink. */
  private record Delivery(TokenSink sink, EngineEvent event) {
    void run() {
      if (event instanceof EngineEvent.TokenEmitted token) {
        sink.onToken(token.position());
      } else if (event instanceof EngineEvent.Finished finished) {
        sink.onFinish(finished.outcome().result());
      }
    }
  }
}
