package dev.osprey.epp.scheduling;

import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Engine-level settings that are not part of an {@code EndpointPickerConfig}.
 *
 * @param stalenessMs metrics older than this count as stale (scorers, TTFT estimate)
 * @param dispatchRetentionMs how long a local dispatch counts toward "sent since the endpoint's scrape"
 * @param inflightExpiryMs when an in-flight request whose completion was never reported is forgotten
 * @param random randomness for tie-breaks and random pickers, called once per pick on the picking thread
 * @param explanations whether every pick carries the full explanation (per-plugin scores and the scorers' notes);
 *     when false (the default) only requests with {@code x-osprey-explain: true} get it, the others get the
 *     per-endpoint totals and a short reason
 * @param saturationQueueDepth queue threshold of the default {@code utilization-detector} (when the config names
 *     no {@code saturationDetector})
 * @param saturationKvCache KV threshold of that default detector
 */
public record SchedulerOptions(long stalenessMs, long dispatchRetentionMs, long inflightExpiryMs,
        Supplier<RandomGenerator> random, boolean explanations, double saturationQueueDepth,
        double saturationKvCache) {

    public SchedulerOptions {
        Objects.requireNonNull(random, "random");
        if (stalenessMs <= 0 || dispatchRetentionMs <= 0 || inflightExpiryMs <= 0 || saturationQueueDepth <= 0
                || saturationKvCache <= 0) {
            throw new IllegalArgumentException("scheduler durations must be positive");
        }
    }

    /**
     * 200 ms staleness, 60 s retention, 10 min in-flight expiry, thread-local randomness, full explanations on request,
     * default detector thresholds queue 5 and KV 0.8.
     */
    public static SchedulerOptions defaults() {
        return new SchedulerOptions(200, 60_000, 600_000, ThreadLocalRandom::current, false, 5, 0.8);
    }

    /**
     * Deterministic randomness from {@code seed} (one shared generator: reproducible when picks come from one
     * thread, as in a simulation).
     */
    public SchedulerOptions withSeed(long seed) {
        Random r = new Random(seed);
        return new SchedulerOptions(stalenessMs, dispatchRetentionMs, inflightExpiryMs, () -> r, explanations, saturationQueueDepth,
                saturationKvCache);
    }

    public SchedulerOptions withStalenessMs(long ms) {
        return new SchedulerOptions(ms, dispatchRetentionMs, inflightExpiryMs, random, explanations,
                saturationQueueDepth, saturationKvCache);
    }

    public SchedulerOptions withExplanations(boolean on) {
        return new SchedulerOptions(stalenessMs, dispatchRetentionMs, inflightExpiryMs, random, on,
                saturationQueueDepth, saturationKvCache);
    }

    /** Thresholds of the default saturation detector. */
    public SchedulerOptions withSaturation(double queueDepth, double kvCache) {
        return new SchedulerOptions(stalenessMs, dispatchRetentionMs, inflightExpiryMs, random, explanations,
                queueDepth, kvCache);
    }
}
