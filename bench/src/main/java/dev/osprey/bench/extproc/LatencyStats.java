package dev.osprey.bench.extproc;

import java.util.Arrays;

/** Percentiles of recorded nanosecond samples; filled by one run, read after it. Not thread-safe. */
final class LatencyStats {

    private long[] samples;
    private int size;

    LatencyStats(int capacity) {
        samples = new long[Math.max(16, capacity)];
    }

    void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    int count() {
        return size;
    }

    /** The {@code p}-th percentile (0-100) in milliseconds, nearest rank. */
    double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))] / 1e6;
    }
}
