package dev.osprey.sim.virtual;

import dev.osprey.sim.engine.EngineConfig;
import dev.osprey.sim.engine.GenerationRequest;
import dev.osprey.sim.engine.LatencyProfile;
import dev.osprey.sim.engine.RequestOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures a profile in virtual time: TTFT and inter-token latency of a lone request of the
 * profile's reference size, and the decode step time (the inter-token latency every sequence sees)
 * with 1, 2, 4, ... and {@code maxNumSeqs} sequences decoding together. Run {@link #main} to print
 * the figures for every built-in profile.
 */
public final class Calibration {

  /**
   * Figures of one profile.
   *
   * @param profile the profile measured
   * @param ttftMillis TTFT of a lone request
   * @param itlMillis mean inter-token latency of a lone request
   * @param itlByBatchMillis decode step time by number of sequences decoding together
   */
  public record Report(LatencyProfile profile, double ttftMillis, double itlMillis,
      Map<Integer, Double> itlByBatchMillis) {

    /** Decode step time with {@code maxNumSeqs} sequences. */
    public double fullBatchItlMillis() {
      return itlByBatchMillis.get(profile.maxNumSeqs());
    }
  }

  private Calibration() {
  }

  /** Measures one profile with its default capacity settings. */
  public static Report measure(LatencyProfile profile) {
    EngineConfig config = EngineConfig.of(profile);
    RequestOutcome lone = lone(config);
    Map<Integer, Double> byBatch = new LinkedHashMap<>();
    for (int n = 1; n < profile.maxNumSeqs(); n *= 2) {
      byBatch.put(n, decodeStepMillis(config, n));
    }
    byBatch.put(profile.maxNumSeqs(), decodeStepMillis(config, profile.maxNumSeqs()));
    return new Report(profile, lone.ttftNanos() / 1e6, lone.meanItlNanos() / 1e6, byBatch);
  }

  private static GenerationRequest request(LatencyProfile p, int index) {
    int[] prompt = new int[p.referencePromptTokens()];
    for (int i = 0; i < prompt.length; i++) {
      prompt[i] = index * 1_000_003 + i;
    }
    return new GenerationRequest("cal-" + index, null, prompt, p.referenceOutputTokens(), true,
        index);
  }

  private static RequestOutcome lone(EngineConfig config) {
    VirtualTimeSimulation sim = new VirtualTimeSimulation();
    SimulatedServer server = sim.addServer("calibration", config);
    List<RequestOutcome> out = new ArrayList<>();
    server.submit(request(config.profile(), 0), out::add);
    sim.run();
    return out.get(0);
  }

  private static double decodeStepMillis(EngineConfig config, int sequences) {
    VirtualTimeSimulation sim = new VirtualTimeSimulation();
    SimulatedServer server = sim.addServer("calibration", config);
    long[] sum = new long[2];
    server.onStep(plan -> {
      if (plan.prefillTokens() == 0 && plan.decodeSeqs() == sequences) {
        sum[0] += plan.durationNanos();
        sum[1]++;
      }
    });
    for (int i = 0; i < sequences; i++) {
      server.submit(request(config.profile(), i + 1), outcome -> { });
    }
    sim.run();
    return sum[1] == 0 ? Double.NaN : sum[0] / 1e6 / sum[1];
  }

  /** Prints the figures of every built-in profile next to their targets. */
  public static void main(String[] args) {
    System.out.println("profile       TTFT ms (target)   ITL ms (target)   full-batch ITL ms"
        + " (target)   ITL by batch size");
    for (LatencyProfile p : LatencyProfile.BUILT_IN) {
      Report r = measure(p);
      StringBuilder batches = new StringBuilder();
      r.itlByBatchMillis().forEach((n, ms) ->
          batches.append(String.format(Locale.ROOT, " %d:%.1f", n, ms)));
      System.out.printf(Locale.ROOT, "%-12s %7.1f (%5.1f)    %6.2f (%5.1f)    %7.2f (%5.1f)   %s%n",
          p.name(), r.ttftMillis(), p.targetTtftMillis(), r.itlMillis(), p.targetItlMillis(),
          r.fullBatchItlMillis(), p.targetFullBatchItlMillis(), batches.toString().trim());
    }
  }
}
