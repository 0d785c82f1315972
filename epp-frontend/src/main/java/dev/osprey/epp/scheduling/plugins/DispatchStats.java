package dev.osprey.epp.scheduling.plugins;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one picker learns from its own dispatches, as exponentially weighted means over about the last
 * {@link #WINDOW} picks: the prefix-match fraction of the chosen endpoint ({@link #reuse()}: how much of the traffic
 * the endpoints' caches serve, 0 for traffic without shared prefixes) and the uncached prompt tokens a request brings
 * ({@link #meanUncachedTokens()}: what a request already waiting on an endpoint probably still has to prefill).
 * Lock-free and thread-safe; two concurrent updates may both apply to the same old value, which only shifts the means
 * by a fraction of one sample.
 */
public final class DispatchStats {

    /** Number of picks the means roughly cover (the weight of a new sample is 1/WINDOW). */
    public static final int WINDOW = 256;

    private final AtomicLong reuse = new AtomicLong(Double.doubleToLongBits(0));
    private final AtomicLong uncached;

    /** @param priorUncachedTokens the mean assumed before any dispatch (the estimator's {@code meanPromptTokens}) */
    public DispatchStats(double priorUncachedTokens) {
        if (!(priorUncachedTokens >= 0)) {
            throw new IllegalArgumentException("priorUncachedTokens must be 0 or more");
        }
        this.uncached = new AtomicLong(Double.doubleToLongBits(priorUncachedTokens));
    }

    /** Adds one dispatch: the chosen endpoint's prefix-match fraction and the request's uncached prompt tokens. */
    public void observe(double matchFraction, double uncachedTokens) {
        update(reuse, Math.min(1, Math.max(0, matchFraction)));
        update(uncached, Math.max(0, uncachedTokens));
    }

    /** Mean prefix-match fraction of recent dispatches, in [0,1]. */
    public double reuse() {
        return Double.longBitsToDouble(reuse.get());
    }

    /** Mean uncached prompt tokens of recent dispatches. */
    public double meanUncachedTokens() {
        return Double.longBitsToDouble(uncached.get());
    }

    private static void update(AtomicLong mean, double sample) {
        long old;
        long next;
        do {
            old = mean.get();
            double m = Double.longBitsToDouble(old);
            next = Double.doubleToLongBits(m + (sample - m) / WINDOW);
        } while (!mean.compareAndSet(old, next));
    }
}
