package dev.osprey.sim.virtual;

import dev.osprey.sim.engine.EngineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A discrete-event simulation of any number of {@link SimulatedServer}s in virtual time. Events
 * (request arrivals, step completions, client callbacks, caller actions) run in time order, ties in
 * the order they were scheduled, all on the calling thread; nothing sleeps, so hours of traffic run
 * in seconds, and the same inputs give the same results.
 *
 * <p>Not thread-safe: build it, schedule arrivals, then call {@link #run} or {@link #runUntil}.
 * Time starts at 0 and is in nanoseconds.
 */
public final class VirtualTimeSimulation {

  private record Timed(long time, long seq, Runnable action) implements Comparable<Timed> {
    @Override
    public int compareTo(Timed o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Timed> queue = new PriorityQueue<>();
  private final List<SimulatedServer> servers = new ArrayList<>();
  private long now;
  private long sequence;
  private long processed;

  /** Current virtual time in nanoseconds. */
  public long now() {
    return now;
  }

  /** Events processed so far. */
  public long eventsProcessed() {
    return processed;
  }

  /**
   * Runs {@code action} at virtual time {@code atNanos}.
   *
   * @throws IllegalArgumentException if {@code atNanos} is in the past
   */
  public void schedule(long atNanos, Runnable action) {
    if (atNanos < now) {
      throw new IllegalArgumentException("cannot schedule at " + atNanos + " before now " + now);
    }
    queue.add(new Timed(atNanos, sequence++, action));
  }

  /** Runs {@code action} after {@code delayNanos}. */
  public void scheduleIn(long delayNanos, Runnable action) {
    schedule(now + delayNanos, action);
  }

  /** Adds a server with its own engine; {@code name} is for the caller (e.g. an address). */
  public SimulatedServer addServer(String name, EngineConfig config) {
    SimulatedServer server = new SimulatedServer(this, name, config);
    servers.add(server);
    return server;
  }

  /** Servers in the order they were added. */
  public List<SimulatedServer> servers() {
    return List.copyOf(servers);
  }

  /** Processes the next event; false if there is none. */
  public boolean runNext() {
    Timed next = queue.poll();
    if (next == null) {
      return false;
    }
    now = next.time();
    processed++;
    next.action().run();
    return true;
  }

  /** Processes every event until none is left. */
  public void run() {
    while (runNext()) {
      // keep going
    }
  }

  /** Processes every event at or before {@code endNanos}, then sets the clock to it. */
  public void runUntil(long endNanos) {
    while (!queue.isEmpty() && queue.peek().time() <= endNanos) {
      runNext();
    }
    now = Math.max(now, endNanos);
  }
}
