package dev.osprey.sim.engine;

/**
 * What one engine step does and how long it takes.
 *
 * @param startNanos when the step started
 * @param durationNanos its modelled duration (0 when nothing could be scheduled)
 * @param sequences sequences in the batch
 * @param prefillTokens prompt (or recomputed) tokens computed
 * @param decodeSeqs sequences decoding one token
 * @param contextTokens sum of the scheduled sequences' context lengths after the step
 * @param loraLoads adapters loaded into slots for this step
 * @param preemptions sequences preempted to make room
 */
public record StepPlan(
    long startNanos, long durationNanos, int sequences, int prefillTokens, int decodeSeqs,
    long contextTokens, int loraLoads, int preemptions) {

  /** When the step ends and its tokens exist. */
  public long endNanos() {
    return startNanos + durationNanos;
  }

  /** True if no sequence was scheduled (no step runs). */
  public boolean isEmpty() {
    return sequences == 0;
  }
}
