package dev.osprey.aggregator.topology;

import java.util.OptionalLong;

/**
 * Tells the {@link PoolStateEmitter} that a pool's inputs changed, forwarded within a task (never serialized).
 *
 * @param scrapeTimeMs the scrape time of the sample that caused the change, when a sample did; it feeds the
 *     end-to-end latency timer
 */
public record PoolChange(OptionalLong scrapeTimeMs) {

    private static final PoolChange OTHER = new PoolChange(OptionalLong.empty());

    /** A change caused by a new sample scraped at {@code scrapeTimeMs}. */
    public static PoolChange sample(long scrapeTimeMs) {
        return new PoolChange(OptionalLong.of(scrapeTimeMs));
    }

    /** A change with no sample behind it: an expiry or in-flight counts. */
    public static PoolChange other() {
        return OTHER;
    }
}
