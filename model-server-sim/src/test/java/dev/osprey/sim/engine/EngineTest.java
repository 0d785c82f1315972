package dev.osprey.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EngineTest {

  private static final EngineConfig SMALL = EngineConfig.of(LatencyProfile.TEST)
      .withMaxNumSeqs(8).withMaxNumBatchedTokens(256).withNumGpuBlocks(64);

  private static GenerationRequest request(String id, String adapter, int promptLen, int maxTokens,
      int salt) {
    int[] prompt = new int[promptLen];
    for (int i = 0; i < promptLen; i++) {
      prompt[i] = salt * 7919 + i;
    }
    return new GenerationRequest(id, adapter, prompt, maxTokens, true, salt);
  }

  /** Drives an engine to completion, checking invariants at every step. */
  private static final class Driver {
    final Engine engine;
    final Map<String, List<Integer>> tokens = new HashMap<>();
    final Map<String, RequestOutcome> outcomes = new HashMap<>();
    final List<String> finishOrder = new ArrayList<>();
    final List<StepPlan> plans = new ArrayList<>();
    long now;

    Driver(EngineConfig config) {
      engine = new Engine(config);
    }

    void submit(GenerationRequest r) {
      engine.submit(r, now);
      tokens.put(r.requestId(), new ArrayList<>());
    }

    void step() {
      StepPlan plan = engine.begin(now);
      EngineSnapshot s = engine.snapshot();
      EngineConfig c = engine.config();
      assertThat(s.usedBlocks()).isBetween(0, c.numGpuBlocks());
      assertThat(s.running()).isLessThanOrEqualTo(c.maxNumSeqs());
      assertThat(plan.prefillTokens() + plan.decodeSeqs())
          .isLessThanOrEqualTo(c.maxNumBatchedTokens());
      assertThat(s.runningAdapters().size()).isLessThanOrEqualTo(c.maxLoras());
      if (plan.isEmpty()) {
        return;
      }
      plans.add(plan);
      StepResult result = engine.complete();
      now = plan.endNanos();
      for (EngineEvent e : result.events()) {
        if (e instanceof EngineEvent.TokenEmitted t) {
          tokens.get(t.requestId()).add(t.position());
        } else if (e instanceof EngineEvent.Finished f) {
          outcomes.put(f.requestId(), f.outcome());
          finishOrder.add(f.requestId());
        }
      }
    }

    void runToCompletion() {
      int guard = 0;
      while (engine.hasWork()) {
        step();
        assertThat(++guard).as("engine makes progress").isLessThan(1_000_000);
      }
    }
  }

  @Test
  void neverOverAllocatesBlocksAndCountersMatchServedRequests() {
    Driver d = new Driver(SMALL);
    SplittableRandom rnd = new SplittableRandom(7);
    long promptSum = 0;
    for (int i = 0; i < 60; i++) {
      int prompt = 1 + rnd.nextInt(300);
      promptSum += prompt;
      d.submit(request("r" + i, null, prompt, 1 + rnd.nextInt(120), i));
      if (i % 5 == 0) {
        d.step();
      }
    }
    d.runToCompletion();
    EngineSnapshot s = d.engine.snapshot();
    assertThat(d.outcomes).hasSize(60);
    assertThat(s.finishedRequests()).isEqualTo(60);
    assertThat(s.usedBlocks()).isZero();
    assertThat(s.waiting()).isZero();
    assertThat(s.running()).isZero();
    assertThat(s.promptTokens()).isEqualTo(promptSum);
    long generated = d.outcomes.values().stream().mapToLong(o -> o.result().completionTokens())
        .sum();
    assertThat(s.generationTokens()).isEqualTo(generated);
    assertThat(s.ttft().count()).isEqualTo(60);
    assertThat(s.e2e().count()).isEqualTo(60);
    assertThat(s.itl().count()).isEqualTo(generated - 60);
    assertThat(s.preemptions()).as("64 blocks cannot hold this load").isPositive();
  }

  @Test
  void preemptedRequestsRestartAndStillProduceEveryTokenOnceInOrder() {
    EngineConfig tight = SMALL.withNumGpuBlocks(20).withPrefixCaching(false);
    Driver d = new Driver(tight);
    for (int i = 0; i < 4; i++) {
      d.submit(request("p" + i, null, 40, 100, i));
    }
    d.runToCompletion();
    assertThat(d.outcomes.values()).anySatisfy(o -> assertThat(o.preemptions()).isPositive());
    for (int i = 0; i < 4; i++) {
      List<Integer> positions = d.tokens.get("p" + i);
      assertThat(positions).hasSize(100);
      for (int k = 0; k < 100; k++) {
        assertThat(positions.get(k)).isEqualTo(k);
      }
      assertThat(d.outcomes.get("p" + i).result().finishReason()).isEqualTo("length");
    }
    assertThat(d.engine.snapshot().usedBlocks()).isZero();
  }

  @Test
  void requestsRunInArrivalOrderWhenSeatsAreScarce() {
    Driver d = new Driver(SMALL.withMaxNumSeqs(1));
    for (int i = 0; i < 5; i++) {
      d.submit(request("f" + i, null, 20, 3, i));
    }
    d.runToCompletion();
    assertThat(d.finishOrder).containsExactly("f0", "f1", "f2", "f3", "f4");
  }

  @Test
  void loraResidencyLetsALaterRequestOvertakeOneWhoseAdapterHasNoSlot() {
    Driver d = new Driver(SMALL.withLoras(1, Duration.ofMillis(50)));
    d.submit(request("a1", "A", 20, 10, 1));
    d.submit(request("b1", "B", 20, 10, 2));
    d.submit(request("a2", "A", 20, 10, 3));
    d.runToCompletion();
    assertThat(d.outcomes.get("a2").firstScheduledNanos())
        .isLessThan(d.outcomes.get("b1").firstScheduledNanos());
    assertThat(d.outcomes.get("b1").firstScheduledNanos())
        .isGreaterThanOrEqualTo(d.outcomes.get("a1").finishNanos());
    assertThat(d.plans.get(0).loraLoads()).isEqualTo(1);
    assertThat(d.plans.get(0).durationNanos()).isGreaterThanOrEqualTo(50_000_000L);
    assertThat(d.plans.stream().mapToInt(StepPlan::loraLoads).sum()).isEqualTo(2);
  }

  @Test
  void identicalPromptsHitThePrefixCacheByFullBlocksPerAdapter() {
    Driver d = new Driver(SMALL);
    d.submit(request("first", null, 100, 2, 5));
    d.runToCompletion();
    d.submit(request("second", null, 100, 2, 5));
    d.runToCompletion();
    d.submit(request("other-adapter", "A", 100, 2, 5));
    d.runToCompletion();
    assertThat(d.outcomes.get("first").result().cachedTokens()).isZero();
    assertThat(d.outcomes.get("second").result().cachedTokens()).isEqualTo(96);
    assertThat(d.outcomes.get("other-adapter").result().cachedTokens()).isZero();
    EngineSnapshot s = d.engine.snapshot();
    assertThat(s.prefixQueryTokens()).isEqualTo(300);
    assertThat(s.prefixHitTokens()).isEqualTo(96);
    assertThat(d.outcomes.get("second").ttftNanos())
        .isLessThan(d.outcomes.get("first").ttftNanos());
  }

  @Test
  void longPromptsArePrefilledInChunksWithinTheTokenBudget() {
    Driver d = new Driver(SMALL.withNumGpuBlocks(200));
    d.submit(request("long", null, 1000, 2, 1));
    d.runToCompletion();
    assertThat(d.plans.subList(0, 4)).allSatisfy(p -> {
      assertThat(p.prefillTokens()).isLessThanOrEqualTo(256);
      assertThat(p.decodeSeqs()).isZero();
    });
    assertThat(d.plans).hasSize(5);
  }

  @Test
  void cancelFreesBlocksEvenDuringAStep() {
    Driver d = new Driver(SMALL);
    d.submit(request("x", null, 50, 50, 1));
    d.submit(request("y", null, 50, 50, 2));
    d.engine.begin(0);
    assertThat(d.engine.cancel("x")).isTrue();
    d.engine.complete();
    assertThat(d.engine.cancel("y")).isTrue();
    assertThat(d.engine.cancel("y")).isFalse();
    assertThat(d.engine.hasWork()).isFalse();
    assertThat(d.engine.snapshot().usedBlocks()).isZero();
  }

  @Test
  void earlyStopsUseTheEosProbabilityUnlessIgnored() {
    Driver d = new Driver(SMALL.withEos(0.2, 3));
    for (int i = 0; i < 20; i++) {
      d.engine.submit(new GenerationRequest("e" + i, null, new int[] {i, 1, 2}, 50, false, i), 0);
      d.tokens.put("e" + i, new ArrayList<>());
    }
    d.engine.submit(new GenerationRequest("forced", null, new int[] {9}, 50, true, 99), 0);
    d.tokens.put("forced", new ArrayList<>());
    d.runToCompletion();
    assertThat(d.outcomes.values()).anySatisfy(o -> {
      assertThat(o.result().finishReason()).isEqualTo("stop");
      assertThat(o.result().completionTokens()).isLessThan(50);
    });
    assertThat(d.outcomes.get("forced").result().completionTokens()).isEqualTo(50);
  }

  @Test
  void refusesRequestsThatCanNeverFitAndDuplicateIds() {
    Engine engine = new Engine(SMALL);
    assertThatThrownBy(() -> engine.submit(request("big", null, 2000, 10, 1), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KV blocks");
    engine.submit(request("dup", null, 10, 1, 1), 0);
    assertThatThrownBy(() -> engine.submit(request("dup", null, 10, 1, 1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void backgroundLoadStretchesSteps() {
    Engine a = new Engine(SMALL);
    Engine b = new Engine(SMALL);
    b.setBackgroundLoad(8);
    a.submit(request("r", null, 10, 1, 1), 0);
    b.submit(request("r", null, 10, 1, 1), 0);
    assertThat(b.step(0).durationNanos()).isGreaterThan(a.step(0).durationNanos() * 19 / 10);
  }
}
