package dev.osprey.sim.virtual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.osprey.sim.engine.EngineConfig;
import dev.osprey.sim.engine.EngineSnapshot;
import dev.osprey.sim.engine.GenerationRequest;
import dev.osprey.sim.engine.LatencyProfile;
import dev.osprey.sim.engine.RequestOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VirtualTimeSimulationTest {

  private static final long SECOND = 1_000_000_000L;

  /** Poisson arrivals spread round-robin over three servers; prompts share a few prefixes. */
  private static List<RequestOutcome> runWorkload(long seed, double ratePerSecond,
      long durationNanos, List<EngineSnapshot> probes) {
    return runWorkload(seed, ratePerSecond, durationNanos, probes, LatencyProfile.H100_8B);
  }

  private static List<RequestOutcome> runWorkload(long seed, double ratePerSecond,
      long durationNanos, List<EngineSnapshot> probes, LatencyProfile profile) {
    VirtualTimeSimulation sim = new VirtualTimeSimulation();
    EngineConfig config = EngineConfig.of(profile);
    List<SimulatedServer> servers = List.of(sim.addServer("a", config),
        sim.addServer("b", config), sim.addServer("c", config));
    List<RequestOutcome> outcomes = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(seed);
    long t = 0;
    int i = 0;
    while (true) {
      t += (long) (-Math.log(1 - rnd.nextDouble()) / ratePerSecond * SECOND);
      if (t > durationNanos) {
        break;
      }
      int[] prompt = new int[64 + rnd.nextInt(512)];
      int prefix = rnd.nextInt(4);
      for (int k = 0; k < prompt.length; k++) {
        prompt[k] = k < 48 ? prefix * 100_000 + k : rnd.nextInt(50_000);
      }
      GenerationRequest r = new GenerationRequest("r" + i, null, prompt, 16 + rnd.nextInt(200),
          true, i);
      SimulatedServer target = servers.get(i % 3);
      sim.schedule(t, () -> target.submit(r, outcomes::add));
      i++;
    }
    sim.schedule(durationNanos / 2, () -> probes.add(servers.get(0).snapshot()));
    sim.run();
    return outcomes;
  }

  @Test
  void sameSeedGivesIdenticalResults() {
    List<RequestOutcome> a = runWorkload(11, 20, 60 * SECOND, new ArrayList<>());
    List<RequestOutcome> b = runWorkload(11, 20, 60 * SECOND, new ArrayList<>());
    assertThat(a).hasSizeGreaterThan(1000).isEqualTo(b);
    assertThat(runWorkload(12, 20, 60 * SECOND, new ArrayList<>())).isNotEqualTo(a);
  }

  @Test
  void slowedDownHardwareAtAProportionallyLowerRateQueuesTheSameWithLongerLatencies() {
    // near capacity, so requests queue and batch: the slowed run must reproduce the queueing, not just the step
    List<RequestOutcome> base = runWorkload(5, 40, 60 * SECOND, new ArrayList<>());
    List<RequestOutcome> slowed = runWorkload(5, 40 / 2.5, 150 * SECOND, new ArrayList<>(),
        LatencyProfile.H100_8B.slowedBy(2.5));

    assertThat(slowed).hasSameSizeAs(base);
    assertThat(base).anySatisfy(o -> assertThat(o.queueNanos()).isGreaterThan(0));
    // per-step and per-arrival rounding to whole nanoseconds: a few microseconds over a run
    for (int i = 0; i < base.size(); i++) {
      RequestOutcome b = base.get(i);
      RequestOutcome s = slowed.get(i);
      assertThat(s.requestId()).isEqualTo(b.requestId());
      assertThat(s.result().cachedTokens()).isEqualTo(b.result().cachedTokens());
      assertThat((double) s.ttftNanos()).isCloseTo(2.5 * b.ttftNanos(), offset(
          1e-5 * b.ttftNanos() + 10_000));
      assertThat((double) s.e2eNanos()).isCloseTo(2.5 * b.e2eNanos(), offset(
          1e-5 * b.e2eNanos() + 10_000));
    }
    assertThat(LatencyProfile.H100_8B.slowedBy(1)).isSameAs(LatencyProfile.H100_8B);
    assertThatThrownBy(() -> LatencyProfile.H100_8B.slowedBy(0)).hasMessageContaining("slowdown");
  }

  @Test
  void simulatesAnHourOfTrafficWithoutRealTime() {
    List<EngineSnapshot> probes = new ArrayList<>();
    List<RequestOutcome> outcomes = runWorkload(3, 6, 3600 * SECOND, probes);
    assertThat(outcomes).hasSizeGreaterThan(20_000);
    assertThat(outcomes).allSatisfy(o -> {
      assertThat(o.ttftNanos()).isGreaterThanOrEqualTo(
          LatencyProfile.H100_8B.requestOverhead().toNanos());
      assertThat(o.e2eNanos()).isGreaterThanOrEqualTo(o.ttftNanos());
    });
    assertThat(outcomes).anySatisfy(o -> assertThat(o.result().cachedTokens()).isEqualTo(48));
    assertThat(probes).singleElement().satisfies(s -> assertThat(s.running()).isPositive());
  }

  @Test
  void overloadShowsUpAsWaitingRequestsInSnapshots() {
    VirtualTimeSimulation sim = new VirtualTimeSimulation();
    SimulatedServer server = sim.addServer("s", EngineConfig.of(LatencyProfile.TEST)
        .withMaxNumSeqs(2));
    for (int i = 0; i < 6; i++) {
      server.submit(new GenerationRequest("q" + i, null, new int[] {i}, 50, true, i), o -> { });
    }
    List<EngineSnapshot> seen = new ArrayList<>();
    sim.schedule(10_000_000L, () -> seen.add(server.snapshot()));
    sim.run();
    assertThat(seen.get(0).running()).isEqualTo(2);
    assertThat(seen.get(0).waiting()).isEqualTo(4);
    assertThat(server.snapshot().finishedRequests()).isEqualTo(6);
  }

  @Test
  void observersHearAtClientTimeAndRejectionsAreReported() {
    VirtualTimeSimulation sim = new VirtualTimeSimulation();
    SimulatedServer server = sim.addServer("s", EngineConfig.of(LatencyProfile.H100_8B));
    long[] firstToken = new long[1];
    List<String> rejected = new ArrayList<>();
    List<RequestOutcome> done = new ArrayList<>();
    RequestObserver observer = new RequestObserver() {
      @Override
      public void onFirstToken(String requestId, long nowNanos) {
        firstToken[0] = nowNanos;
        assertThat(sim.now()).isEqualTo(nowNanos);
      }

      @Override
      public void onFinish(RequestOutcome outcome) {
        done.add(outcome);
      }

      @Override
      public void onRejected(String requestId, String reason) {
        rejected.add(requestId);
      }
    };
    server.submit(new GenerationRequest("ok", null, new int[256], 8, true, 1), observer);
    server.submit(new GenerationRequest("huge", null, new int[500_000], 8, true, 2), observer);
    sim.run();
    assertThat(rejected).containsExactly("huge");
    assertThat(done).singleElement().satisfies(o ->
        assertThat(o.ttftNanos()).isEqualTo(firstToken[0]));
    assertThatThrownBy(() -> sim.schedule(0, () -> { }))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
