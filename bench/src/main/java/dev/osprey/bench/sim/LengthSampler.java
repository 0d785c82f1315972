package dev.osprey.bench.sim;

import dev.osprey.bench.sim.Scenario.Length;
import java.util.SplittableRandom;

/** Draws token lengths from a validated {@link Length}, clamped to its bounds. */
final class LengthSampler {

    private final Length spec;
    private final double mu;
    private final double sigma;

    LengthSampler(Length spec) {
        this.spec = spec;
        if (spec.dist().equals("lognormal")) {
            double cv = spec.stddev() / spec.mean();
            double s2 = Math.log(1 + cv * cv);
            this.sigma = Math.sqrt(s2);
            this.mu = Math.log(spec.mean()) - s2 / 2;
        } else {
            this.sigma = 0;
            this.mu = 0;
        }
    }

    int sample(SplittableRandom rnd) {
        double v = switch (spec.dist()) {
            case "constant" -> spec.mean();
            case "uniform" -> spec.min() + rnd.nextDouble() * (spec.max() - spec.min() + 1);
            case "normal" -> spec.mean() + spec.stddev() * gaussian(rnd);
            case "lognormal" -> Math.exp(mu + sigma * gaussian(rnd));
            default -> throw new IllegalStateException("unvalidated distribution " + spec.dist());
        };
        long n = Math.round(Math.floor(v));
        return (int) Math.max(spec.min(), Math.min(spec.max(), n));
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
