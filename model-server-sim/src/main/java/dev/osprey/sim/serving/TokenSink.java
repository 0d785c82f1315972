package dev.osprey.sim.serving;

import dev.osprey.sim.engine.GenerationResult;

/**
 * Receives the progress of one generation. Calls for one request are made one at a time, in order:
 * {@link #onToken} for positions 0, 1, 2, ..., then exactly one of {@link #onFinish} or
 * {@link #onError}. Implementations must return quickly and must not throw.
 */
public interface TokenSink {

  /** Output token {@code position} (0-based) is available. */
  void onToken(int position);

  /** The generation completed. */
  void onFinish(GenerationResult result);

  /** The generation failed; {@code httpStatus} is what the client should see. */
  void onError(int httpStatus, String message);
}
