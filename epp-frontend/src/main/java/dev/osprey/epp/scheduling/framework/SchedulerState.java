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
 * <p>Effective in-flight of an endpoint = waiting + running from its last scrape + the requests this EPP
 * dispatched there after that scrape ({@link #effectiveLoad}). Cross-replica in-flight counts are not in the
 * snapshot yet; when they are, the local term becomes max(local since scrape, other replicas' in-flight).
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

    /** Requests this EPP dispatched to snapshot position {@code snapIdx} after its scrape. */
    public int dispatchedSinceScrape(CycleState cycle, int snapIdx) {
        EndpointSnapshot e = cycle.snapshot().endpoints().get(snapIdx);
        return cycle.index().load(snapIdx).dispatchedSince(e.scrapeTimeMs(), cycle.nowMs());
    }

    /** Waiting + running + dispatched here since the scrape. */
    public long effectiveLoad(CycleState cycle, int snapIdx) {
        EndpointSnapshot e = cycle.snapshot().endpoints().get(snapIdx);
        return (long) e.waitingRequests() + e.runningRequests() + dispatchedSinceScrape(cycle, snapIdx);
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
