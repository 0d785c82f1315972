package dev.osprey.epp.scheduling.framework;

import dev.osprey.epp.scheduling.Explanation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The best-scored candidates of a profile run (at most {@link Explanation#MAX_ENDPOINTS}, chosen ones first) and,
 * for a detailed explanation, each one's per-plugin scores and the scorers' notes on the primary.
 */
public record ScoreTable(List<Explanation.EndpointScores> top, String note) {

    public static final ScoreTable EMPTY = new ScoreTable(List.of(), "");

    public ScoreTable {
        top = List.copyOf(top);
    }

    static ScoreTable build(SchedulerProfile profile, CycleState cycle, CandidateSet set, double[] totals,
            int[] chosen, int chosenCount, boolean detailed) {
        int n = set.size();
        int k = Math.min(Explanation.MAX_ENDPOINTS, n);
        boolean[] taken = cycle.flags(n);
        int[] order = new int[k];
        int filled = 0;
        for (int c = 0; c < chosenCount && filled < k; c++) {
            order[filled++] = chosen[c];
            taken[chosen[c]] = true;
        }
        while (filled < k) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!taken[i] && (best < 0 || totals[i] > totals[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            order[filled++] = best;
        }
        List<Explanation.EndpointScores> top = new ArrayList<>(k);
        List<SchedulerProfile.WeightedScorer> scorers = profile.scorers();
        for (int j = 0; j < k; j++) {
            int i = order[j];
            Map<String, Double> by = Map.of();
            if (detailed) {
                by = new HashMap<>(scorers.size() * 2);
                for (int s = 0; s < scorers.size(); s++) {
                    by.put(scorers.get(s).scorer().name(), cycle.scorerScores(s)[i]);
                }
            }
            top.add(new Explanation.EndpointScores(set.get(i).endpointId(), totals[i], by));
        }
        StringBuilder note = new StringBuilder();
        if (detailed && chosenCount > 0) {
            for (SchedulerProfile.WeightedScorer ws : scorers) {
                String e = ws.scorer().explain(cycle, set, chosen[0]);
                if (!e.isEmpty()) {
                    note.append(note.length() == 0 ? "" : ", ").append(e);
                }
            }
        }
        return new ScoreTable(top, note.toString());
    }
}
