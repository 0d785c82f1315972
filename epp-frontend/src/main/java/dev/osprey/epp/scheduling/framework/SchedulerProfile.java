package dev.osprey.epp.scheduling.framework;

import dev.osprey.epp.state.EndpointSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A scheduling profile: filters in order (stopping at zero candidates), then weighted scorers
 * ({@code total = Σ clamp(score, 0, 1) × weight}, weights not normalized), then exactly one picker. Immutable and
 * thread-safe; per-request data lives in the {@link CycleState}.
 */
public record SchedulerProfile(String name, List<Filter> filters, List<WeightedScorer> scorers, Picker picker) {

    /** A scorer with its weight (upstream default 1). */
    public record WeightedScorer(Scorer scorer, double weight) {
        public WeightedScorer {
            Objects.requireNonNull(scorer, "scorer");
        }
    }

    public SchedulerProfile {
        Objects.requireNonNull(name, "name");
        filters = List.copyOf(filters);
        scorers = List.copyOf(scorers);
        Objects.requireNonNull(picker, "picker");
    }

    /** Runs the profile over the cycle's candidates (the cycle's base set is not modified). */
    public ProfileResult run(CycleState cycle) {
        CandidateSet set = cycle.workingSet();
        for (Filter f : filters) {
            f.filter(cycle, set);
            if (cycle.shedReason().isPresent()) {
                return new ProfileResult(name, List.of(), cycle.shedReason(), true, ScoreTable.EMPTY);
            }
            if (set.isEmpty()) {
                return new ProfileResult(name, List.of(),
                        Optional.of("every candidate was filtered out by " + f.name()), false, ScoreTable.EMPTY);
            }
        }
        int n = set.size();
        double[] totals = cycle.totals(n);
        for (int s = 0; s < scorers.size(); s++) {
            WeightedScorer ws = scorers.get(s);
            double[] scores = cycle.scorerScores(s, n);
            ws.scorer().score(cycle, set, scores);
            double w = ws.weight();
            for (int i = 0; i < n; i++) {
                double v = scores[i];
                v = v > 1 ? 1 : (v >= 0 ? v : 0);
                scores[i] = v;
                totals[i] += v * w;
            }
        }
        int max = cycle.maxEndpoints();
        int[] out = cycle.chosenBuffer(max);
        int m = picker.pick(cycle, set, totals, Math.min(max, n), out);
        List<EndpointSnapshot> chosen = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            chosen.add(set.get(out[i]));
        }
        return new ProfileResult(name, chosen, Optional.empty(), false,
                ScoreTable.build(this, cycle, set, totals, out, m, cycle.detailedExplanation()));
    }
}
