package dev.osprey.epp.scheduling;

import dev.osprey.api.Criticality;
import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The EPP's scheduler facade. Built over an {@link EndpointPicker} (profiles and plugins, see
 * {@link SchedulerFactory}) it delegates every pick to it; built the legacy way it does least-load picking over a
 * {@link PoolSnapshot}. Candidates are the endpoints that pass the request's filter and
 * are not UNHEALTHY (all of them when every one is UNHEALTHY). Effective load = waiting + running + requests this
 * EPP dispatched there since that endpoint's scrape; the lowest wins, ties broken at random. A pick records its
 * dispatch in the {@link InflightTracker}. Thread-safe; never blocks.
 */
public final class Scheduler {

    private final InflightTracker inflight;
    private final SaturationDetector saturation;
    private final Clock clock;
    private final Supplier<RandomGenerator> random;
    private final EndpointPicker engine;
    private final java.util.concurrent.atomic.AtomicLong anonymous = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param clock wall clock comparable with the snapshots' scrape times
     * @param random source of tie-break randomness, called once per pick from the picking thread
     */
    public Scheduler(InflightTracker inflight, SaturationDetector saturation, Clock clock,
            Supplier<RandomGenerator> random) {
        this.inflight = Objects.requireNonNull(inflight, "inflight");
        this.saturation = Objects.requireNonNull(saturation, "saturation");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.engine = null;
    }

    /**
     * A scheduler that delegates picks to {@code engine}.
     *
     * @param clock wall clock comparable with the snapshots' scrape times
     * @param random randomness for {@link #pickRandom}
     */
    public Scheduler(EndpointPicker engine, Clock clock, Supplier<RandomGenerator> random) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.inflight = new InflightTracker(60_000);
        this.saturation = SaturationDetector.DEFAULTS;
    }

    /** Picks for a full scheduling request through the engine (the least-load path ignores all but the filter,
     * fallbacks and criticality). */
    public PickResult pick(PoolSnapshot snapshot, SchedulingRequest request) {
        if (engine != null) {
            return engine.pick(snapshot, request, clock.millis());
        }
        return pick(snapshot, new PickRequest(request.filter(), request.fallbacks(), request.criticality()));
    }

    /** Reports that {@code requestId} finished; ignored by the least-load path and for unknown ids. */
    public void completed(String requestId) {
        if (engine != null) {
            engine.completed(requestId, clock.millis());
        }
    }

    /** Hands blocks of the shared prefix index to the engine; see {@link EndpointPicker#mergeSharedPrefixes}. */
    public void mergeSharedPrefixes(String endpointId, long[] hashesNewestFirst, int n) {
        if (engine != null) {
            engine.mergeSharedPrefixes(endpointId, hashesNewestFirst, n);
        }
    }

    /** Picks for a Standard request with a filter and fallbacks; see {@link #pick(PoolSnapshot, PickRequest)}. */
    public PickResult pick(PoolSnapshot snapshot, Predicate<EndpointSnapshot> filter, int fallbacks) {
        return pick(snapshot, new PickRequest(filter, fallbacks, Criticality.STANDARD));
    }

    /**
     * Picks the least-loaded candidate and up to {@code request.fallbacks()} more in increasing load. A SHEDDABLE
     * request gets {@link PickResult.Shed} when every candidate is saturated; other criticalities are always routed
     * while any candidate exists.
     */
    public PickResult pick(PoolSnapshot snapshot, PickRequest request) {
        if (engine != null) {
            return engine.pick(snapshot, SchedulingRequest.builder("anonymous-" + anonymous.incrementAndGet(), "")
                    .criticality(request.criticality()).filter(request.filter()).fallbacks(request.fallbacks())
                    .build(), clock.millis());
        }
        List<EndpointSnapshot> candidates = candidates(snapshot, request.filter());
        if (candidates.isEmpty()) {
            return new PickResult.NoCandidates(snapshot.endpoints().isEmpty()
                    ? "no endpoints in pool " + snapshot.poolId() : "no endpoint matches the request's subset");
        }
        long now = clock.millis();
        if (request.criticality() == Criticality.SHEDDABLE
                && candidates.stream().allMatch(e -> saturation.saturated(e, now))) {
            return new PickResult.Shed("system saturated, sheddable request dropped");
        }
        int fallbacks = request.fallbacks();
        RandomGenerator rnd = random.get();
        Map<String, Double> loads = new HashMap<>();
        List<Ranked> ranked = new ArrayList<>(candidates.size());
        for (EndpointSnapshot e : candidates) {
            long load = effectiveLoad(e, now);
            loads.put(e.endpointId(), (double) load);
            ranked.add(new Ranked(e, load, rnd.nextLong()));
        }
        ranked.sort(Comparator.comparingLong(Ranked::load).thenComparingLong(Ranked::tieBreak));
        EndpointSnapshot primary = ranked.get(0).endpoint();
        List<EndpointSnapshot> rest = ranked.stream().skip(1).limit(fallbacks).map(Ranked::endpoint).toList();
        inflight.recordDispatch(primary.endpointId(), now);
        return new PickResult.Picked(primary, rest, loads);
    }

    /** A uniformly random candidate (header-only requests), recorded as a dispatch. */
    public PickResult pickRandom(PoolSnapshot snapshot, Predicate<EndpointSnapshot> filter) {
        List<EndpointSnapshot> candidates = candidates(snapshot, filter);
        if (candidates.isEmpty()) {
            return new PickResult.NoCandidates("no endpoints in pool " + snapshot.poolId());
        }
        EndpointSnapshot chosen = candidates.get(random.get().nextInt(candidates.size()));
        inflight.recordDispatch(chosen.endpointId(), clock.millis());
        return new PickResult.Picked(chosen, List.of(), Map.of());
    }

    /** Waiting + running + locally dispatched since the endpoint's scrape. */
    public long effectiveLoad(EndpointSnapshot e, long nowMs) {
        return (long) e.waitingRequests() + e.runningRequests()
                + inflight.dispatchedSince(e.endpointId(), e.scrapeTimeMs(), nowMs);
    }

    /** Filtered endpoints without the UNHEALTHY ones, unless that leaves none. */
    static List<EndpointSnapshot> candidates(PoolSnapshot snapshot, Predicate<EndpointSnapshot> filter) {
        List<EndpointSnapshot> allowed = snapshot.endpoints().stream().filter(filter).toList();
        List<EndpointSnapshot> usable = allowed.stream().filter(e -> e.health() != EndpointHealth.UNHEALTHY).toList();
        return usable.isEmpty() ? allowed : usable;
    }

    private record Ranked(EndpointSnapshot endpoint, long load, long tieBreak) {
    }
}
