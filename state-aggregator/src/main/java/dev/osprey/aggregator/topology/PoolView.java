package dev.osprey.aggregator.topology;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.osprey.schemas.avro.EndpointMetrics;

/**
 * The decoded picture of one pool that its stream task keeps in memory: the newest sample per endpoint, in-flight
 * counts per {@code ip:port}, the last published version, and the bookkeeping of its publication (throttle,
 * staleness deadline, scrape times not yet published). The stores stay the source of truth: a view is rebuilt from
 * them whenever its task is initialised ({@link PoolViews#restore}). Mutable; owned by one stream task.
 */
final class PoolView {

    private static final Comparator<EndpointSlot> BY_ENDPOINT_ID = Comparator.comparing(EndpointSlot::endpointId);
    private static final EndpointSlot[] NONE = new EndpointSlot[0];

    private final String poolId;
    private final Map<String, EndpointSlot> byEndpoint = new HashMap<>();
    private final Map<String, Map<String, Integer>> inflightByHostPort = new HashMap<>();
    /** Endpoints sorted by id; null after a membership change until the next {@link #slots()}. */
    private EndpointSlot[] sorted = NONE;
    private long version;
    private long lastEmitMs = Long.MIN_VALUE;
    private boolean pending;
    private long turnsStaleAfterMs = Long.MAX_VALUE;
    private long[] unpublishedScrapeTimes = new long[4];
    private int unpublished;

    PoolView(String poolId) {
        this.poolId = poolId;
    }

    String poolId() {
        return poolId;
    }

    EndpointSlot slot(String endpointId) {
        return byEndpoint.get(endpointId);
    }

    /** Adds an endpoint that has no slot yet. */
    EndpointSlot add(String endpointId, String storeKey, EndpointMetrics sample) {
        EndpointSlot slot = new EndpointSlot(endpointId, storeKey, sample);
        byEndpoint.put(endpointId, slot);
        sorted = null;
        return slot;
    }

    void remove(EndpointSlot slot) {
        byEndpoint.remove(slot.endpointId());
        sorted = null;
    }

    /** The endpoints sorted by endpoint id; the array must not be modified. */
    EndpointSlot[] slots() {
        if (sorted == null) {
            EndpointSlot[] next = byEndpoint.values().toArray(NONE);
            Arrays.sort(next, BY_ENDPOINT_ID);
            sorted = next;
        }
        return sorted;
    }

    /** The newest sample of each endpoint, sorted by endpoint id. */
    List<EndpointMetrics> samples() {
        return Arrays.stream(slots()).map(EndpointSlot::sample).toList();
    }

    boolean isEmpty() {
        return byEndpoint.isEmpty();
    }

    /** In-flight requests per EPP replica at {@code hostPort}; empty when none. */
    Map<String, Integer> inflight(String hostPort) {
        return inflightByHostPort.getOrDefault(hostPort, Map.of());
    }

    void setInflight(String hostPort, Map<String, Integer> byReplica) {
        if (byReplica.isEmpty()) {
            inflightByHostPort.remove(hostPort);
        } else {
            inflightByHostPort.put(hostPort, byReplica);
        }
    }

    /** The last published version; 0 when none was published. */
    long version() {
        return version;
    }

    void version(long published) {
        this.version = published;
    }

    long lastEmitMs() {
        return lastEmitMs;
    }

    void lastEmitMs(long nowMs) {
        this.lastEmitMs = nowMs;
    }

    boolean pending() {
        return pending;
    }

    void pending(boolean value) {
        this.pending = value;
    }

    /** When the first endpoint that was fresh at the last publication turns stale; {@code Long.MAX_VALUE} if never. */
    long turnsStaleAfterMs() {
        return turnsStaleAfterMs;
    }

    void turnsStaleAfterMs(long deadline) {
        this.turnsStaleAfterMs = deadline;
    }

    /** Remembers the scrape time of an applied sample until the next publication times it. */
    void unpublished(long scrapeTimeMs) {
        if (unpublished == unpublishedScrapeTimes.length) {
            unpublishedScrapeTimes = Arrays.copyOf(unpublishedScrapeTimes, unpublished * 2);
        }
        unpublishedScrapeTimes[unpublished++] = scrapeTimeMs;
    }

    /** Hands the remembered scrape times to {@code consumer} and forgets them. */
    void drainUnpublished(java.util.function.LongConsumer consumer) {
        for (int i = 0; i < unpublished; i++) {
            consumer.accept(unpublishedScrapeTimes[i]);
        }
        unpublished = 0;
        if (unpublishedScrapeTimes.length > 1024) {
            unpublishedScrapeTimes = new long[4];
        }
    }
}
