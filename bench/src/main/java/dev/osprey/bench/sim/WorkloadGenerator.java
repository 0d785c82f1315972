package dev.osprey.bench.sim;

import dev.osprey.api.Criticality;
import dev.osprey.bench.sim.Scenario.CriticalityMix;
import dev.osprey.bench.sim.Scenario.Lora;
import dev.osprey.bench.sim.Scenario.SharedPrefix;
import dev.osprey.bench.sim.Scenario.Stage;
import dev.osprey.bench.sim.Scenario.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a validated workload and a seed into the full, time-ordered list of requests. Pure: the same inputs give
 * the same list, which every strategy of a run replays.
 */
public final class WorkloadGenerator {

    private WorkloadGenerator() {
    }

    /** Adapter names, {@code lora-01} ... */
    public static String adapterName(int k) {
        return String.format("lora-%02d", k);
    }

    /** Every request of the ladder, in arrival order. */
    public static List<SimRequest> generate(Workload w, long seed) {
        SplittableRandom arrivals = new SplittableRandom(seed);
        SplittableRandom shapes = new SplittableRandom(seed ^ 0x5DEECE66DL);
        LengthSampler prompt = new LengthSampler(w.promptTokens());
        LengthSampler output = new LengthSampler(w.outputTokens());
        double[] loraCdf = w.lora() == null ? null : loraCdf(w.lora());
        double[] critCdf = criticalityCdf(w.criticality());
        boolean poisson = w.arrivals().equals("poisson");
        List<SimRequest> out = new ArrayList<>();
        double stageStart = 0;
        for (int s = 0; s < w.stages().size(); s++) {
            Stage stage = w.stages().get(s);
            double end = stageStart + stage.durationS();
            double t = stageStart;
            while (true) {
                t += poisson ? -Math.log(1.0 - arrivals.nextDouble()) / stage.rate() : 1.0 / stage.rate();
                if (t >= end) {
                    break;
                }
                out.add(request(out.size(), s, (long) (t * 1e9), w, seed, shapes, prompt, output, loraCdf,
                        critCdf));
            }
            stageStart = end;
        }
        return out;
    }

    private static SimRequest request(int index, int stage, long arrival, Workload w, long seed,
            SplittableRandom rnd, LengthSampler prompt, LengthSampler output, double[] loraCdf, double[] critCdf) {
        SharedPrefix shared = w.sharedPrefix();
        int group = -1;
        int user = -1;
        int prefix = 0;
        int question;
        long tokenSeed;
        if (shared != null) {
            group = rnd.nextInt(shared.groups());
            user = rnd.nextInt(shared.usersPerGroup());
            prefix = shared.prefixTokens();
            tokenSeed = seed * 1_000_003L + group * 10_007L + user;
            question = prompt.sample(new SplittableRandom(tokenSeed));
        } else {
            tokenSeed = (seed * 1_000_003L) ^ ((index + 1L) << 40);
            question = prompt.sample(rnd);
        }
        int out = output.sample(rnd);
        String adapter = null;
        if (loraCdf != null) {
            Lora lora = w.lora();
            if (rnd.nextDouble() >= lora.baseFraction()) {
                adapter = adapterName(pick(loraCdf, rnd.nextDouble()) + 1);
            }
        }
        Criticality crit = Criticality.values()[pick(critCdf, rnd.nextDouble())];
        return new SimRequest(index, stage, arrival, group, user, prefix, question, out, adapter, crit, tokenSeed);
    }

    private static double[] loraCdf(Lora lora) {
        double[] w = new double[lora.adapters()];
        for (int k = 0; k < w.length; k++) {
            w[k] = 1.0 / Math.pow(k + 1, lora.zipf());
        }
        return cdf(w);
    }

    private static double[] criticalityCdf(CriticalityMix m) {
        return cdf(new double[] {m.critical(), m.standard(), m.sheddable()});
    }

    private static double[] cdf(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double[] cdf = new double[weights.length];
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i] / total;
            cdf[i] = acc;
        }
        cdf[cdf.length - 1] = 1.0;
        return cdf;
    }

    private static int pick(double[] cdf, double u) {
        for (int i = 0; i < cdf.length; i++) {
            if (u < cdf[i]) {
                return i;
            }
        }
        return cdf.length - 1;
    }
}
