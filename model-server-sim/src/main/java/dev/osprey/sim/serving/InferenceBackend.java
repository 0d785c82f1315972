package dev.osprey.sim.serving;

import dev.osprey.sim.engine.EngineSnapshot;
import dev.osprey.sim.engine.GenerationRequest;

/**
 * Produces tokens for requests and reports its state. Implementations are thread-safe.
 */
public interface InferenceBackend extends AutoCloseable {

  /**
   * Queues a request. Progress is reported to {@code sink}, possibly on another thread and possibly
   * before this method returns.
   *
   * @return a handle that aborts the request (for example when the client went away)
   */
  RequestHandle submit(GenerationRequest request, TokenSink sink);

  /** Current state and counters. */
  EngineSnapshot snapshot();

  /** Synthetic extra load: {@code queuedRequests} phantom requests slow every step. */
  void setBackgroundLoad(int queuedRequests);

  /** Stops producing tokens; pending requests get {@link TokenSink#onError} with 503. */
  @Override
  void close();

  /** Aborts one submitted request. */
  @FunctionalInterface
  interface RequestHandle {
    /** Aborts the request if it has not finished; idempotent; the sink gets no further calls. */
    void cancel();
  }
}
