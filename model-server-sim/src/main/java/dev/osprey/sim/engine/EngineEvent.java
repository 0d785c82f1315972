package dev.osprey.sim.engine;

/** Something a completed step produced for one request, at the step's end time. */
public sealed interface EngineEvent permits EngineEvent.TokenEmitted, EngineEvent.Finished {

  /** The request the event belongs to. */
  String requestId();

  /**
   * Output token {@code position} (0-based) was produced.
   *
   * @param requestId the request
   * @param position output position
   * @param timeNanos step end
   */
  record TokenEmitted(String requestId, int position, long timeNanos) implements EngineEvent {
  }

  /**
   * The request produced its last token and left the engine.
   *
   * @param requestId the request
   * @param outcome timing and counts
   */
  record Finished(String requestId, RequestOutcome outcome) implements EngineEvent {
  }
}
