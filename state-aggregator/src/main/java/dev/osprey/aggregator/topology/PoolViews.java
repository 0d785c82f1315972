package dev.osprey.aggregator.topology;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The {@link PoolView}s of one stream task, by pool id. Rebuilt from the task's stores by {@link #restore} (after a
 * restart or a failover the stores hold the restored changelogs), then kept in step by the pool-load processor,
 * which writes every change through to the stores. Not thread-safe: owned by one stream task.
 */
final class PoolViews {

    private final Map<String, PoolView> byPool = new HashMap<>();
    private long newestScrapeMs = Long.MIN_VALUE;

    /**
     * Views of everything in the stores: endpoints and their newest samples, published versions and in-flight
     * counts. Each pool's staleness deadline is its oldest endpoint's, so the first sweep republishes pools whose
     * endpoints turned stale while no instance published them.
     */
    static PoolViews restore(ReadOnlyKeyValueStore<String, EncodedSample> poolLoad,
            ReadOnlyKeyValueStore<String, Long> versions, ReadOnlyKeyValueStore<String, InflightCounts> inflight,
            long stalenessMs) {
        PoolViews views = new PoolViews();
        try (KeyValueIterator<String, EncodedSample> all = poolLoad.all()) {
            while (all.hasNext()) {
                KeyValue<String, EncodedSample> entry = all.next();
                PoolView view = views.view(StoreKeys.poolOf(entry.key));
                EndpointSlot slot = view.add(StoreKeys.endpointOf(entry.key), entry.key, entry.value.metrics());
                views.applied(slot.scrapeTimeMs());
                view.turnsStaleAfterMs(Math.min(view.turnsStaleAfterMs(), slot.scrapeTimeMs() + stalenessMs));
            }
        }
        try (KeyValueIterator<String, Long> all = versions.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                views.view(entry.key).version(entry.value);
            }
        }
        try (KeyValueIterator<String, InflightCounts> all = inflight.all()) {
            while (all.hasNext()) {
                KeyValue<String, InflightCounts> entry = all.next();
                views.view(StoreKeys.poolOf(entry.key)).setInflight(StoreKeys.endpointOf(entry.key),
                        entry.value.byReplica());
            }
        }
        return views;
    }

    /** The view of {@code poolId}, created empty when there is none. */
    PoolView view(String poolId) {
        PoolView view = byPool.get(poolId);
        if (view == null) {
            view = new PoolView(poolId);
            byPool.put(poolId, view);
        }
        return view;
    }

    Collection<PoolView> all() {
        return byPool.values();
    }

    /** Records that a sample scraped at {@code scrapeTimeMs} was applied. */
    void applied(long scrapeTimeMs) {
        if (scrapeTimeMs > newestScrapeMs) {
            newestScrapeMs = scrapeTimeMs;
        }
    }

    /**
     * The newest scrape time this task has applied. Expiry measures silence against it, not against the wall clock
     * alone, so a stream thread that stalled (or a backlog after a restart) never drops endpoints whose newer
     * samples are still waiting in the input.
     */
    long newestScrapeMs() {
        return newestScrapeMs;
    }
}
