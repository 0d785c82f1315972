package dev.osprey.sim.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A vLLM-style inference engine as a pure state machine: no threads, no clock. The caller passes
 * the time into every call, so one class serves the real-time HTTP server and virtual-time runs.
 *
 * <p>One step = {@link #begin} (form the batch, allocate KV blocks, compute the step's duration)
 * followed by {@link #complete} at {@code plan.endNanos()} (advance the sequences, emit tokens,
 * free finished requests). Batch formation follows vLLM V1: running sequences first in admission
 * order, each taking what it still needs (a decode token or the rest of a prefill, chunked by the
 * token budget); if KV blocks run out, the most recently admitted running sequence is preempted
 * (its blocks freed, its progress discarded, and it goes back to the front of the queue). Waiting
 * requests are then admitted in FIFO order while seats, budget and blocks last, skipping requests
 * whose adapter would exceed the LoRA slots; nothing is admitted in a step that preempted.
 *
 * <p>Not thread-safe: one owner drives it (the real-time driver holds a lock around every call).
 */
public final class Engine {

  private final EngineConfig config;
  private final LatencyProfile profile;
  private final KvCacheManager kv;
  private final LoraSlots loras;
  private final EngineStats stats = new EngineStats();
  private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
  private final List<Sequence> running = new ArrayList<>();
  private final Map<String, Sequence> byId = new HashMap<>();
  private final long overheadNanos;
  private List<Sequence> batch = List.of();
  private StepPlan inFlight;
  private int backgroundLoad;

  public Engine(EngineConfig config) {
    this.config = config;
    this.profile = config.profile();
    this.kv = new KvCacheManager(config.numGpuBlocks(), config.blockSize(),
        config.prefixCaching());
    this.loras = new LoraSlots(config.maxLoras());
    this.overheadNanos = profile.requestOverhead().toNanos();
  }

  /** The configuration. */
  public EngineConfig config() {
    return config;
  }

  /**
   * Queues a request at time {@code nowNanos}.
   *
   * @throws IllegalArgumentException if the id is in use or prompt + max_tokens can never fit in
   *     the KV cache
   */
  public void submit(GenerationRequest request, long nowNanos) {
    int needed = kv.blocksFor(request.promptTokens().length + request.maxTokens());
    if (needed > kv.totalBlocks()) {
      throw new IllegalArgumentException("request needs " + needed
          + " KV blocks but the cache holds " + kv.totalBlocks());
    }
    if (byId.containsKey(request.requestId())) {
      throw new IllegalArgumentException("duplicate request id " + request.requestId());
    }
    Sequence s = new Sequence(request, targetOutput(request), nowNanos, kv.blockSize());
    byId.put(request.requestId(), s);
    waiting.addLast(s);
  }

  private int targetOutput(GenerationRequest r) {
    double p = config.eosProbability();
    if (r.ignoreEos() || p == 0.0) {
      return r.maxTokens();
    }
    double u = new SplittableRandom(r.outputSeed() ^ config.seed()).nextDouble();
    double len = 1.0 + Math.floor(Math.log1p(-u) / Math.log1p(-p));
    return (int) Math.min(r.maxTokens(), len);
  }

  /**
   * Drops a request wherever it is; it produces no further events. Blocks of a request in the step
   * in flight are freed when that step completes.
   *
   * @return false if the request is unknown or already finished
   */
  public boolean cancel(String requestId) {
    Sequence s = byId.remove(requestId);
    if (s == null) {
      return false;
    }
    s.cancelled = true;
    if (!waiting.remove(s)) {
      running.remove(s);
      if (inFlight == null || s.scheduledTokens == 0) {
        kv.release(s);
      }
    }
    return true;
  }

  /** True if any request is waiting or running. */
  public boolean hasWork() {
    return !running.isEmpty() || !waiting.isEmpty();
  }

  /** The step begun and not yet completed, or null. */
  public StepPlan inFlight() {
    return inFlight;
  }

  /** Synthetic load: every step takes {@code 1 + queued / maxNumSeqs} times longer. */
  public void setBackgroundLoad(int queued) {
    backgroundLoad = Math.max(0, queued);
  }

  /** Runs {@link #begin} and, if a step was formed, {@link #complete}. */
  public StepResult step(long nowNanos) {
    StepPlan plan = begin(nowNanos);
    return plan.isEmpty() ? new StepResult(plan, List.of()) : complete();
  }

  /**
   * Forms the next batch at {@code nowNanos}. When the plan is empty no step is in flight.
   *
   * @throws IllegalStateException if a step is already in flight
   */
  public StepPlan begin(long nowNanos) {
    if (inFlight != null) {
      throw new IllegalStateException("a step is already in flight");
    }
    List<Sequence> scheduled = new ArrayList<>();
    int budget = config.maxNumBatchedTokens();
    int preempted = 0;
    for (int i = 0; i < running.size() && budget > 0; i++) {
      Sequence s = running.get(i);
      int n = Math.min(s.known() - s.computed, budget);
      boolean self = false;
      while (!kv.allocate(s, s.computed + n)) {
        Sequence victim = running.remove(running.size() - 1);
        preempt(victim);
        preempted++;
        if (victim == s) {
          self = true;
          break;
        }
      }
      if (self) {
        break;
      }
      s.scheduledTokens = n;
      scheduled.add(s);
      budget -= n;
    }
    if (preempted == 0) {
      budget = admit(scheduled, budget, nowNanos);
    }
    if (scheduled.isEmpty()) {
      return new StepPlan(nowNanos, 0, 0, 0, 0, 0, 0, preempted);
    }
    return plan(scheduled, nowNanos, preempted);
  }

  private int admit(List<Sequence> scheduled, int budget, long nowNanos) {
    if (waiting.isEmpty()) {
      return budget;
    }
    Set<String> adapters = new LinkedHashSet<>();
    for (Sequence s : running) {
      if (s.adapter() != null) {
        adapters.add(s.adapter());
      }
    }
    List<Sequence> skipped = new ArrayList<>();
    while (!waiting.isEmpty() && running.size() < config.maxNumSeqs() && budget > 0) {
      Sequence s = waiting.peekFirst();
      String adapter = s.adapter();
      if (adapter != null && !adapters.contains(adapter) && adapters.size() >= config.maxLoras()) {
        skipped.add(waiting.pollFirst());
        continue;
      }
      int[] hits = kv.lookup(s);
      int hitTokens = hits.length * kv.blockSize();
      int n = Math.min(s.known() - hitTokens, budget);
      if (!kv.canAdmit(hits, hitTokens + n)) {
        break;
      }
      waiting.pollFirst();
      kv.adoptHits(s, hits);
      kv.allocate(s, hitTokens + n);
      stats.prefixQueryTokens += s.known();
      stats.prefixHitTokens += hitTokens;
      if (s.cachedTokens < 0) {
        s.cachedTokens = hitTokens;
      }
      if (s.firstScheduledNanos < 0) {
        s.firstScheduledNanos = nowNanos;
        stats.queueTime.observe(EngineStats.seconds(nowNanos - s.arrivalNanos));
      }
      running.add(s);
      if (adapter != null) {
        adapters.add(adapter);
      }
      s.scheduledTokens = n;
      scheduled.add(s);
      budget -= n;
    }
    for (int k = skipped.size() - 1; k >= 0; k--) {
      waiting.addFirst(skipped.get(k));
    }
    return budget;
  }

  private StepPlan plan(List<Sequence> scheduled, long nowNanos, int preempted) {
    long prefill = 0;
    int decode = 0;
    long context = 0;
    Set<String> adapters = null;
    for (Sequence s : scheduled) {
      if (s.generated > 0 && s.known() - s.computed == 1) {
        decode++;
      } else {
        prefill += s.scheduledTokens;
      }
      context += s.computed + s.scheduledTokens;
      if (s.adapter() != null) {
        adapters = adapters == null ? new TreeSet<>() : adapters;
        adapters.add(s.adapter());
      }
    }
    int loads = adapters == null ? 0 : loras.activate(adapters);
    double slowdown = 1.0 + (double) backgroundLoad / config.maxNumSeqs();
    long duration = Math.round(profile.stepNanos(prefill, decode, context) * slowdown)
        + loads * config.loraLoadTime().toNanos();
    batch = scheduled;
    inFlight = new StepPlan(nowNanos, Math.max(1, duration), scheduled.size(), (int) prefill,
        decode, context, loads, preempted);
    return inFlight;
  }

  /**
   * Completes the step in flight at its end time: scheduled tokens become computed, sequences
   * whose tokens are all computed emit one token, finished requests free their blocks.
   *
   * @throws IllegalStateException if no step is in flight
   */
  public StepResult complete() {
    StepPlan plan = inFlight;
    if (plan == null) {
      throw new IllegalStateException("no step in flight");
    }
    long end = plan.endNanos();
    List<EngineEvent> events = new ArrayList<>();
    for (Sequence s : batch) {
      if (s.cancelled) {
        s.scheduledTokens = 0;
        kv.release(s);
        continue;
      }
      s.computed += s.scheduledTokens;
      s.scheduledTokens = 0;
      kv.registerFullBlocks(s);
      if (s.computed == s.known()) {
        emitToken(s, end, events);
      }
    }
    batch = List.of();
    inFlight = null;
    return new StepResult(plan, events);
  }

  private void emitToken(Sequence s, long end, List<EngineEvent> events) {
    int position = s.generated++;
    stats.generationTokens++;
    if (position == 0) {
      s.firstTokenNanos = end;
      stats.promptTokens += s.prompt.length;
      stats.ttft.observe(EngineStats.seconds(end - s.arrivalNanos + overheadNanos));
    } else {
      stats.itl.observe(EngineStats.seconds(end - s.lastTokenNanos));
    }
    s.lastTokenNanos = end;
    events.add(new EngineEvent.TokenEmitted(s.id(), position, end));
    if (s.generated >= s.targetOutput) {
      running.remove(s);
      byId.remove(s.id());
      kv.release(s);
      stats.finishedRequests++;
      stats.e2e.observe(EngineStats.seconds(end - s.arrivalNanos + overheadNanos));
      String reason = s.generated >= s.request.maxTokens() ? "length" : "stop";
      GenerationResult result = new GenerationResult(s.prompt.length, s.generated,
          Math.max(0, s.cachedTokens), reason);
      events.add(new EngineEvent.Finished(s.id(), new RequestOutcome(s.id(), s.arrivalNanos,
          s.firstScheduledNanos, s.firstTokenNanos, end, overheadNanos, result, s.preemptions)));
    }
  }




  private void preempt(Sequence s) {
    kv.release(s);
    s.computed = 0;
    s.scheduledTokens = 0;
    s.preemptions++;
    stats.preemptions++;
    waiting.addFirst(s);
  }



  /** Current state and counters. */
  public EngineSnapshot snapshot() {
    return new EngineSnapshot(waiting.size(), running.size(), kv.usedBlocks(), kv.totalBlocks(),
        kv.blockSize(), config.maxLoras(), adaptersOf(running), adaptersOf(waiting),
        stats.prefixQueryTokens, stats.prefixHitTokens, stats.promptTokens,
        stats.generationTokens, stats.finishedRequests, stats.preemptions, stats.ttft.snapshot(),
        stats.itl.snapshot(), stats.e2e.snapshot(), stats.queueTime.snapshot());
  }

  private static List<String> adaptersOf(Iterable<Sequence> sequences) {
    Set<String> names = new TreeSet<>();
    for (Sequence s : sequences) {
      if (s.adapter() != null) {
        names.add(s.adapter());
      }
    }
    return new ArrayList<>(names);
  }

  /** Adapters resident in LoRA slots, least recently used first. */
  public List<String> residentAdapters() {
    return loras.resident();
  }

  /** Ids of requests still in the engine (waiting or running), in no particular order. */
  public List<String> pendingRequestIds() {
    return new ArrayList<>(byId.keySet());
  }
}
