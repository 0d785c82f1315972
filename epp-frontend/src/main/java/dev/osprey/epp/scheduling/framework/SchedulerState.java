package dev.osprey.epp.scheduling.framework;

import dev.osprey.epp.scheduling.prefix.PrefixIndex;
import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.Objects;

/**
 * State shared by the plugins of one scheduler across requests: this EPP's local load counters, the prefix
 * index, the metrics-staleness limit, and the per-snapshot lookup tables (rebuilt once per new snapshot, so pick
 * cost does not grow with the number of pools or snapshot history). Thread-safe.
 *
 * <p>Requests in flight on an endpoint ({@link #inflight}) = this EPP's own (live counters) + the other replicas'
 * as of the snapshot ({@link EndpointSnapshot#peerInflight()}, from the aggregator). Requests the last scrape does
 * not show yet ({@link #unseenDispatches}) = this EPP's dispatches since the scrape, or, when other replicas have
 * requests in flight there, max(that, in flight − waiting − running), which catches what the peers sent since the
 * scrape. (Without peers the local count is exact; the in-flight difference would only add the noise of requests
 * finished on the server but not yet reported.)
 */
public final class SchedulerState {

    private final LocalLoad localLoad;
    private final PrefixIndex prefixIndex;
    private final long stalenessMs;
    private volatile SnapshotIndex lastIndex;

    public SchedulerState(LocalLoad localLoad, PrefixIndex prefixIndex, long stalenessMs) {
        this.localLoad = Objects.requireNonNull(localLoad, "localLoad");
        this.prefixIndex = Objects.requireNonNull(prefixIndex, "prefixIndex");
        this.stalenessMs = stalenessMs;
    }

    public LocalLoad localLoad() {
        return localLoad;
    }

    public PrefixIndex prefixIndex() {
        return prefixIndex;
    }

    /** Metrics older than this (or health STALE) count as stale. */
    public long stalenessMs() {
        return stalenessMs;
    }

    /** Whether endpoint {@code e}'s metrics are stale at {@code nowMs}. */
    public boolean stale(EndpointSnapshot e, long nowMs) {
        return e.health() != EndpointHealth.HEALTHY || nowMs - e.scrapeTimeMs() > stalenessMs;
    }

    /** Requests in flight on snapshot position {@code snapIdx} from every EPP replica (see the class comment). */
    public int inflight(CycleState cycle, int snapIdx) {
        return cycle.index().load(snapIdx).inflight() + cycle.snapshot().endpoints().get(snapIdx).peerInflight();
    }

    /**
     * Requests routed to snapshot position {@code snapIdx} that its last scrape does not show yet, given this
     * EPP's own dispatches since that scrape ({@code localSinceScrape}, as
     * {@link LocalLoad.EndpointLoad#dispatchedSince} counts them): {@code localSinceScrape} when no other replica has requests in flight there, else
     * max(localSinceScrape, in flight from every replica − waiting − running).
     */
    public int unseenDispatches(CycleState cycle, int snapIdx, int localSinceScrape) {
        EndpointSnapshot e = cycle.snapshot().endpoints().get(snapIdx);
        if (e.peerInflight() == 0) {
            return localSinceScrape;
        }
        long beyondScrape = (long) inflight(cycle, snapIdx) - e.waitingRequests() - e.runningRequests();
        return (int) Math.max(localSinceScrape, Math.min(Integer.MAX_VALUE, beyondScrape));
    }

    /** The lookup tables of {@code snapshot}, built on first use. */
    public SnapshotIndex indexFor(PoolSnapshot snapshot) {
        SnapshotIndex idx = lastIndex;
        if (idx == null || idx.snapshot() != snapshot) {
            idx = new SnapshotIndex(snapshot, localLoad);
            lastIndex = idx;
        }
        return idx;
    }
}
