package dev.osprey.collector.discovery;

import java.util.List;

import dev.osprey.api.PoolEndpoint;

/**
 * The endpoints the collector should scrape right now. The collector polls it every discovery interval and
 * reconciles: new endpoints start being scraped (and get a membership record), vanished ones stop (and get a
 * tombstone).
 *
 * <p>Implementations must be thread-safe and cheap to call; they return an immutable snapshot, never {@code null}.
 * Endpoint ids must be unique within one snapshot.
 */
public interface EndpointSource {

    /** The current endpoints, an immutable snapshot. */
    List<PoolEndpoint> endpoints();

    /**
     * The endpoints whose membership this collector publishes; the same as {@link #endpoints()} unless the source
     * shards scraping across replicas, where every replica publishes the full set (see
     * {@link ShardedEndpointSource}).
     */
    default List<PoolEndpoint> membershipEndpoints() {
        return endpoints();
    }
}
