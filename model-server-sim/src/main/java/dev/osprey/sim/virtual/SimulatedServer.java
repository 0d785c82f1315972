package dev.osprey.sim.virtual;

import dev.osprey.sim.engine.Engine;
import dev.osprey.sim.engine.EngineConfig;
import dev.osprey.sim.engine.EngineEvent;
import dev.osprey.sim.engine.EngineSnapshot;
import dev.osprey.sim.engine.GenerationRequest;
import dev.osprey.sim.engine.StepPlan;
import dev.osprey.sim.engine.StepResult;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One model server inside a {@link VirtualTimeSimulation}: an {@link Engine} whose steps run back
 * to back while it has work. Its {@link #snapshot()} at any virtual time is what a metrics scrape
 * would show then. Not thread-safe (the simulation is single-threaded).
 */
public final class SimulatedServer {

  private final VirtualTimeSimulation sim;
  private final String name;
  private final Engine engine;
  private final long overheadNanos;
  private final Map<String, RequestObserver> observers = new HashMap<>();
  private Consumer<StepPlan> stepListener = plan -> { };
  private boolean stepping;

  SimulatedServer(VirtualTimeSimulation sim, String name, EngineConfig config) {
    this.sim = sim;
    this.name = name;
    this.engine = new Engine(config);
    this.overheadNanos = config.profile().requestOverhead().toNanos();
  }

  /** The name given when the server was added. */
  public String name() {
    return name;
  }

  /** The engine's configuration. */
  public EngineConfig config() {
    return engine.config();
  }

  /**
   * Hands a request to the engine at the current virtual time. The observer hears about it later;
   * a request that can never fit is refused through {@link RequestObserver#onRejected} at once.
   */
  public void submit(GenerationRequest request, RequestObserver observer) {
    try {
      engine.submit(request, sim.now());
    } catch (IllegalArgumentException e) {
      observer.onRejected(request.requestId(), e.getMessage());
      return;
    }
    observers.put(request.requestId(), observer);
    if (!stepping) {
      stepping = true;
      sim.schedule(sim.now(), this::startStep);
    }
  }

  /** Drops a request; its observer hears nothing more. False if unknown or finished. */
  public boolean cancel(String requestId) {
    observers.remove(requestId);
    return engine.cancel(requestId);
  }

  /** Synthetic load, as {@link Engine#setBackgroundLoad}. */
  public void setBackgroundLoad(int queued) {
    engine.setBackgroundLoad(queued);
  }

  /** Called with every step as it begins (for timelines and calibration). */
  public void onStep(Consumer<StepPlan> listener) {
    this.stepListener = listener;
  }

  /** State and counters at the current virtual time. */
  public EngineSnapshot snapshot() {
    return engine.snapshot();
  }

  private void startStep() {
    long t = sim.now();
    StepPlan plan = engine.begin(t);
    if (plan.isEmpty()) {
      if (engine.hasWork()) {
        sim.schedule(t, this::startStep);
      } else {
        stepping = false;
      }
      return;
    }
    stepListener.accept(plan);
    sim.schedule(plan.endNanos(), this::completeStep);
  }

  private void completeStep() {
    StepResult result = engine.complete();
    long clientTime = sim.now() + overheadNanos;
    for (EngineEvent event : result.events()) {
      if (event instanceof EngineEvent.TokenEmitted token && token.position() == 0) {
        RequestObserver o = observers.get(token.requestId());
        if (o != null) {
          sim.schedule(clientTime, () -> o.onFirstToken(token.requestId(), clientTime));
        }
      } else if (event instanceof EngineEvent.Finished finished) {
        RequestObserver o = observers.remove(finished.requestId());
        if (o != null) {
          sim.schedule(clientTime, () -> o.onFinish(finished.outcome()));
        }
      }
    }
    startStep();
  }
}
