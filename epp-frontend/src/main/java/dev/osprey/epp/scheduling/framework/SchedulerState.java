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
 * finished on the server but not yet reported.) Requests this EPP saw finish since the scrape
 * ({@link LocalLoad.EndpointLoad#sinceScrape}) are still in the scrape's counts; the TTFT estimate takes them off.
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
     * EPP's own dispatches since that scrape ({@code localSinceScrape}) and its completions reported since
     * ({@code localDoneSinceScrape}), as {@link LocalLoad.EndpointLoad#sinceScrape} counts them:
     * {@code localSinceScrape} when no other replica has requests in flight there, else max(localSinceScrape,
     * in flight from every replica + localDoneSinceScrape − waiting − running). This EPP's in-flight count has
     * already dropped by its completions since the scrape, so they are added back to the in-flight difference (which
     * then counts requests dispatched since the scrape, as {@code localSinceScrape} does) instead of being subtracted
     * twice.
     */
    public int unseenDispatches(CycleState cycle, int snapIdx, int localSinceScrape, int localDoneSinceScrape) {
        EndpointSnapshot e = cycle.snapshot().endpoints().get(snapIdx);
        if (e.peerInflight() == 0) {
            return localSinceScrape;
        }
        long beyondScrape = (long) inflight(cycle, snapIdx) + localDoneSinceScrape - e.waitingRequests()
                - e.runningRequests();
        return (int) Math.max(localSinceScrape, Math.min(Integer.MAX_VALUE, beyondScrape));
    }

    /**
     * How many of this EPP's completions since the scrape of snapshot position {@code snapIdx}
     * ({@code localDoneSinceScrape}) the scrape still counts, i.e. finished on the server after it: at most
     * waiting + running + {@code unseen} − in flight from every replica. A completion is reported when the response
     * has reached the EPP, a while after the server let the request go; one reported shortly after the scrape may
     * have left the server before it, and the scrape already left it out. This EPP's in flight tells them apart
     * without knowing that lag: what the scrape and the dispatches since count beyond the requests still in flight
     * (whose completions have not been reported) is the part of the reported completions that happened after the
     * scrape. With other replicas' requests there, {@code unseen} already counts from in flight and this is all of
     * {@code localDoneSinceScrape}; it is never more.
     *
     * @param unseen as {@link #unseenDispatches} returned for the same counts
     */
    public int finishedSinceScrape(CycleState cycle, int snapIdx, int unseen, int localDoneSinceScrape) {
        if (localDoneSinceScrape <= 0) {
            return 0;
        }
        EndpointSnapshot e = cycle.snapshot().endpoints().get(snapIdx);
        long beyondInflight = (long) e.waitingRequests() + e.runningRequests() + unseen - inflight(cycle, snapIdx);
        return (int) Math.max(0, Math.min(localDoneSinceScrape, beyondInflight));
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
