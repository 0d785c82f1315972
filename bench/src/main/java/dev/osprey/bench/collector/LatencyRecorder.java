package dev.osprey.bench.collector;

import java.util.Arrays;

/**
 * Records scrape latencies in microseconds into log-linear buckets (1 % resolution up to ~70 s) for percentiles
 * without keeping every sample. Thread-safe (synchronized: one increment per scrape is cheap next to a scrape).
 */
final class LatencyRecorder {

    /** count, p50, p99 and max in microseconds. */
    record Summary(long count, long p50Micros, long p99Micros, long maxMicros) {
    }

    private static final int SUB_BUCKETS = 128;
    private static final int MAGNITUDES = 28;
    private final long[] counts = new long[SUB_BUCKETS * MAGNITUDES];
    private long total;
    private long max;

    synchronized void record(long micros) {
        long value = Math.max(1, micros);
        counts[index(value)]++;
        total++;
        max = Math.max(max, value);
    }

    synchronized void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    synchronized Summary summary() {
        return new Summary(total, percentile(0.50), percentile(0.99), max);
    }

    private long percentile(double quantile) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, upperBound(i));
            }
        }
        return max;
    }

    /** Values below 128 get their own bucket; above, 64 buckets per power of two. */
    private static int index(long value) {
        int magnitude = Math.max(0, 63 - Long.numberOfLeadingZeros(value) - 6);
        int sub = (int) (value >>> magnitude);
        return Math.min(SUB_BUCKETS * MAGNITUDES - 1, magnitude * SUB_BUCKETS + sub);
    }

    private static long upperBound(int index) {
        int magnitude = index / SUB_BUCKETS;
        int sub = index % SUB_BUCKETS;
        return ((long) sub + 1) << magnitude;
    }
}
