package dev.osprey.epp.scheduling.framework;

import dev.osprey.epp.scheduling.BlockHashes;
import dev.osprey.epp.scheduling.EndpointPicker;
import dev.osprey.epp.scheduling.Explanation;
import dev.osprey.epp.scheduling.PickResult;
import dev.osprey.epp.scheduling.SchedulingRequest;
import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs one scheduling cycle per request (upstream 0845): candidates = endpoints passing the request's filter that
 * are not UNHEALTHY (all of them when every one is UNHEALTHY); a sheddable request meets the saturation detector
 * (≥ 1.0 → {@link PickResult.Shed}); then the profile handler's loop runs profiles until it returns none and names
 * the primary result. A profile that filters everything out or sheds ends as {@link PickResult.Shed} (upstream
 * answers 429). The chosen endpoint's dispatch is recorded (local load, speculative prefix entries, listeners).
 * Thread-safe: per-request scratch state is one reused {@link CycleState} per thread.
 */
public final class SchedulingEngine implements EndpointPicker {

    private final String name;
    private final SchedulerState state;
    private final ProfileHandler handler;
    private final Map<String, SchedulerProfile> profiles;
    private final SaturationDetector saturation;
    private final List<PickListener> listeners;
    private final Supplier<RandomGenerator> random;
    private final boolean trackPrefixes;
    private final boolean explanations;
    private final ThreadLocal<CycleState> cycles = ThreadLocal.withInitial(CycleState::new);

    /**
     * @param profiles by name, in configuration order
     * @param trackPrefixes whether dispatches add speculative prefix entries (some plugin reads prefix matches)
     * @param explanations whether every pick carries per-plugin scores and notes (else only requests asking for
     *     them with {@code x-osprey-explain: true}); totals and a short reason are always there
     */
    public SchedulingEngine(String name, SchedulerState state, ProfileHandler handler,
            Map<String, SchedulerProfile> profiles, SaturationDetector saturation, List<PickListener> listeners,
            Supplier<RandomGenerator> random, boolean trackPrefixes, boolean explanations) {
        this.name = Objects.requireNonNull(name, "name");
        this.state = Objects.requireNonNull(state, "state");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
        this.saturation = Objects.requireNonNull(saturation, "saturation");
        this.listeners = List.copyOf(listeners);
        this.random = Objects.requireNonNull(random, "random");
        this.trackPrefixes = trackPrefixes;
        this.explanations = explanations;
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("at least one scheduling profile is required");
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The shared state (for tests and diagnostics). */
    public SchedulerState state() {
        return state;
    }

    @Override
    public PickResult pick(PoolSnapshot snapshot, SchedulingRequest request, long nowMs) {
        CycleState c = cycles.get();
        c.begin(request, snapshot, state.indexFor(snapshot), state, random.get(), nowMs, explanations);
        try {
            return run(c, snapshot, request, nowMs);
        } finally {
            c.end();
        }
    }

    private PickResult run(CycleState c, PoolSnapshot snapshot, SchedulingRequest request, long nowMs) {
        List<EndpointSnapshot> eps = snapshot.endpoints();
        for (int i = 0; i < eps.size(); i++) {
            EndpointSnapshot e = eps.get(i);
            if (e.health() != EndpointHealth.UNHEALTHY && request.filter().test(e)) {
                c.addCandidate(e, i);
            }
        }
        if (c.candidates().isEmpty()) {
            for (int i = 0; i < eps.size(); i++) {
                if (request.filter().test(eps.get(i))) {
                    c.addCandidate(eps.get(i), i);
                }
            }
        }
        if (c.candidates().isEmpty()) {
            return new PickResult.NoCandidates(eps.isEmpty() ? "no endpoints in pool " + snapshot.poolId()
                    : "no endpoint matches the request's subset");
        }
        if (request.sheddable() && saturation.saturation(c, c.candidates()) >= 1.0) {
            return new PickResult.Shed("system saturated, sheddable request dropped");
        }
        Map<String, ProfileResult> results = new LinkedHashMap<>(4);
        for (List<SchedulerProfile> next = handler.pick(c, profiles, results); !next.isEmpty();
                next = handler.pick(c, profiles, results)) {
            for (SchedulerProfile p : next) {
                results.put(p.name(), p.run(c));
            }
        }
        ProfileResult primary = results.get(handler.primary(results));
        if (primary == null) {
            return new PickResult.Shed("no scheduling profile produced a result");
        }
        if (primary.chosen().isEmpty()) {
            return new PickResult.Shed(primary.failure().orElse("profile " + primary.profile() + " chose nothing"));
        }
        EndpointSnapshot chosen = primary.chosen().get(0);
        record(c, request, chosen, nowMs);
        BlockHashes hashes = trackPrefixes ? BlockHashes.copyOf(c.prefixHashes(), c.prefixHashCount())
                : BlockHashes.NONE;
        return picked(primary, chosen, hashes);
    }

    private void record(CycleState c, SchedulingRequest request, EndpointSnapshot chosen, long nowMs) {
        int snapIdx = c.index().position(chosen.endpointId());
        int tokens = request.promptTokens();
        int uncached = tokens;
        if (trackPrefixes && c.prefixHashCount() > 0) {
            uncached = (int) Math.round(tokens * (1 - c.prefixMatchFraction(snapIdx)));
            state.prefixIndex().add(chosen.endpointId(), c.prefixHashes(), c.prefixHashCount());
        }
        state.localLoad().dispatched(request.requestId(), c.index().load(snapIdx), nowMs, tokens, uncached);
        for (PickListener l : listeners) {
            l.picked(c, chosen);
        }
    }

    private PickResult.Picked picked(ProfileResult r, EndpointSnapshot chosen, BlockHashes hashes) {
        List<EndpointSnapshot> rest = r.chosen().subList(1, r.chosen().size());
        Map<String, Double> scores = new HashMap<>(r.scored().top().size() * 2);
        double best = Double.NaN;
        for (Explanation.EndpointScores s : r.scored().top()) {
            scores.put(s.endpointId(), s.total());
            if (s.endpointId().equals(chosen.endpointId())) {
                best = s.total();
            }
        }
        String reason = chosen.endpointId() + " scored " + Math.round(best * 1000) / 1000.0
                + (r.scored().note().isEmpty() ? "" : " (" + r.scored().note() + ")");
        return new PickResult.Picked(chosen, rest, scores, new Explanation(r.profile(), reason, r.scored().top()),
                hashes);
    }

    @Override
    public void completed(String requestId, long nowMs) {
        state.localLoad().completed(requestId, nowMs);
    }

    @Override
    public void mergeSharedPrefixes(String endpointId, long[] hashesNewestFirst, int n) {
        if (trackPrefixes) {
            state.prefixIndex().addNewestFirst(endpointId, hashesNewestFirst, n);
        }
    }
}
