package dev.osprey.sim.engine;

/**
 * Timing and size of a finished request, in engine nanoseconds. Client-visible latencies add the
 * profile's response overhead ({@code overheadNanos}).
 *
 * @param requestId the request
 * @param arrivalNanos when the engine received it
 * @param firstScheduledNanos start of the first step that computed it
 * @param firstTokenNanos end of the step that produced the first token
 * @param finishNanos end of the step that produced the last token
 * @param overheadNanos API-server overhead added to every client-visible time
 * @param result token counts and finish reason
 * @param preemptions times the request was preempted
 */
public record RequestOutcome(
    String requestId, long arrivalNanos, long firstScheduledNanos, long firstTokenNanos,
    long finishNanos, long overheadNanos, GenerationResult result, int preemptions) {

  /** Time to first token as the client sees it. */
  public long ttftNanos() {
    return firstTokenNanos - arrivalNanos + overheadNanos;
  }

  /** End-to-end latency as the client sees it. */
  public long e2eNanos() {
    return finishNanos - arrivalNanos + overheadNanos;
  }

  /** Time spent waiting before the first step. */
  public long queueNanos() {
    return firstScheduledNanos - arrivalNanos;
  }

  /** Mean time between output tokens, or 0 for a one-token output. */
  public double meanItlNanos() {
    int n = result.completionTokens();
    return n <= 1 ? 0.0 : (double) (finishNanos - firstTokenNanos) / (n - 1);
  }
}
