package dev.osprey.sim.http;

import dev.osprey.sim.engine.GenerationResult;
import dev.osprey.sim.serving.TokenSink;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A {@link TokenSink} that hands events to the exchange thread through a queue. Thread-safe. */
final class QueueSink implements TokenSink {

  /** One progress event. */
  sealed interface Event permits Token, Finished, Failed {
  }

  /** Output token {@code position} is ready. */
  record Token(int position) implements Event {
  }

  /** The generation finished. */
  record Finished(GenerationResult result) implements Event {
  }

  /** The generation failed. */
  record Failed(int status, String message) implements Event {
  }

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

  @Override
  public void onToken(int position) {
    events.add(new Token(position));
  }

  @Override
  public void onFinish(GenerationResult result) {
    events.add(new Finished(result));
  }

  @Override
  public void onError(int httpStatus, String message) {
    events.add(new Failed(httpStatus, message));
  }

  /** Waits for the next event. */
  Event take() throws InterruptedException {
    return events.take();
  }
}
