package dev.osprey.aggregator.topology;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A small mergeable sketch of positive values (milliseconds) with logarithmic buckets: bucket {@code i} holds
 * values in {@code (γ^(i-1), γ^i]} with γ = {@value #GAMMA}, so a quantile is reported within about 2 % of the true
 * value. Values below {@value #MIN_VALUE} count in a zero bucket. Two sketches merge by adding bucket counts, so
 * per-window sketches can be combined into any longer period. Not thread-safe; serialized as JSON
 * ({@code buckets}: bucket index → count).
 */
public final class LogHistogram {

    /** Bucket growth factor. */
    public static final double GAMMA = 1.04;
    /** Smallest value with its own bucket. */
    public static final double MIN_VALUE = 0.01;
    private static final double LOG_GAMMA = Math.log(GAMMA);

    private final TreeMap<Integer, Long> buckets;
    private long zeroCount;
    private long count;
    private double max;

    public LogHistogram() {
        this(new TreeMap<>(), 0, 0, 0);
    }

    @JsonCreator
    LogHistogram(@JsonProperty("buckets") Map<Integer, Long> buckets, @JsonProperty("zeroCount") long zeroCount,
            @JsonProperty("count") long count, @JsonProperty("max") double max) {
        this.buckets = new TreeMap<>(buckets == null ? Map.of() : buckets);
        this.zeroCount = zeroCount;
        this.count = count;
        this.max = max;
    }

    /** Adds one value; negative and NaN values are ignored. */
    public void record(double value) {
        if (!(value >= 0)) {
            return;
        }
        count++;
        max = Math.max(max, value);
        if (value < MIN_VALUE) {
            zeroCount++;
        } else {
            buckets.merge((int) Math.ceil(Math.log(value) / LOG_GAMMA), 1L, Long::sum);
        }
    }

    /** Adds every value of {@code other} to this sketch. */
    public void merge(LogHistogram other) {
        other.buckets.forEach((index, n) -> buckets.merge(index, n, Long::sum));
        zeroCount += other.zeroCount;
        count += other.count;
        max = Math.max(max, other.max);
    }

    /**
     * The value at quantile {@code q} (0..1): the representative of the bucket holding the value of rank
     * {@code ceil(q × count)}, capped at the maximum; 0 when empty.
     */
    public double quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        if (rank <= zeroCount) {
            return 0;
        }
        long seen = zeroCount;
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                double representative = 2 * Math.pow(GAMMA, bucket.getKey()) / (GAMMA + 1);
                return Math.min(representative, max);
            }
        }
        return max;
    }

    @JsonProperty("buckets")
    public Map<Integer, Long> buckets() {
        return buckets;
    }

    @JsonProperty("zeroCount")
    public long zeroCount() {
        return zeroCount;
    }

    @JsonProperty("count")
    public long count() {
        return count;
    }

    @JsonProperty("max")
    public double max() {
        return max;
    }
}
