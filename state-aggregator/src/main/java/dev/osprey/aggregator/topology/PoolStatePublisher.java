package dev.osprey.aggregator.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Writes a pool's PoolState from its in-memory {@link PoolView} (no store reads, no decoding, see
 * {@link PoolStateWriter}), assigns the
 * next version (written through to the {@value AggregatorTopology#POOL_VERSION_STORE} store), forwards it, and
 * times the samples it publishes. Not thread-safe: one instance per stream task.
 */
final class PoolStatePublisher {

    private final PoolStateWriter writer;
    private final long stalenessMs;
    private final AggregatorMetrics metrics;
    private final ProcessorContext<String, byte[]> context;
    private final KeyValueStore<String, Long> versions;

    PoolStatePublisher(PoolStateWriter writer, long stalenessMs, AggregatorMetrics metrics,
            ProcessorContext<String, byte[]> context, KeyValueStore<String, Long> versions) {
        this.writer = writer;
        this.stalenessMs = stalenessMs;
        this.metrics = metrics;
        this.context = context;
        this.versions = versions;
    }

    /**
     * Publishes {@code pool} as of {@code nowMs}, unless it has neither endpoints nor a previous publication, and
     * sets its staleness deadline: when the first endpoint fresh now turns stale.
     */
    void publish(PoolView pool, long nowMs) {
        EndpointSlot[] slots = pool.slots();
        long oldestFresh = Long.MAX_VALUE;
        for (EndpointSlot slot : slots) {
            long scrapeTime = slot.scrapeTimeMs();
            if (nowMs - scrapeTime <= stalenessMs && scrapeTime < oldestFresh) {
                oldestFresh = scrapeTime;
            }
        }
        pool.turnsStaleAfterMs(oldestFresh == Long.MAX_VALUE ? Long.MAX_VALUE : oldestFresh + stalenessMs);
        if (slots.length == 0 && pool.version() == 0) {
            pool.drainUnpublished(scrapeTime -> { });
            return;
        }
        long version = pool.version() + 1;
        pool.version(version);
        versions.put(pool.poolId(), version);
        context.forward(new Record<>(pool.poolId(), writer.write(pool, version, nowMs), nowMs));
        metrics.poolStateEmitted();
        pool.drainUnpublished(scrapeTime -> metrics.endToEndLatency(nowMs - scrapeTime));
    }
}
