package dev.osprey.sim.engine;

import java.util.List;

/**
 * A completed step: its plan and the events it produced, all at {@code plan.endNanos()}.
 *
 * @param plan the step
 * @param events tokens and completions, in batch order
 */
public record StepResult(StepPlan plan, List<EngineEvent> events) {

  public StepResult {
    events = List.copyOf(events);
  }

  /** The step's duration in nanoseconds. */
  public long durationNanos() {
    return plan.durationNanos();
  }
}
