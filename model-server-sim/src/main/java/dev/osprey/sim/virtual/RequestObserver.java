package dev.osprey.sim.virtual;

import dev.osprey.sim.engine.RequestOutcome;

/**
 * Hears about one request in a {@link VirtualTimeSimulation}. Called on the simulation's thread at
 * the client-visible virtual time (step end plus the profile's response overhead); may submit
 * further requests or schedule actions.
 */
public interface RequestObserver {

  /** The first output token reached the client at {@code nowNanos}. */
  default void onFirstToken(String requestId, long nowNanos) {
  }

  /** The whole response reached the client. */
  void onFinish(RequestOutcome outcome);

  /** The server refused the request (it can never fit in the KV cache, or a duplicate id). */
  default void onRejected(String requestId, String reason) {
  }
}
