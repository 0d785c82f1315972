package dev.osprey.bench.live;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.osprey.bench.sim.StageResult;
import dev.osprey.epp.scheduling.SchedulerFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Orders strategies by one latency figure and compares the simulation's order with the live one. Pure.
 *
 * <p>A strategy's score is the geometric mean over the stages of the chosen percentile (so each stage weighs the
 * same whatever its latency scale); a stage where it completed nothing counts as infinitely slow. Lower is better.
 */
final class Ranking {

    /** The figure strategies are ranked by. */
    enum Metric {
        TTFT_P90("ttft-p90", StageResult::ttftP90),
        TTFT_P99("ttft-p99", StageResult::ttftP99),
        E2E_P90("e2e-p90", StageResult::e2eP90);

        final String label;
        final ToDoubleFunction<StageResult> figure;

        Metric(String label, ToDoubleFunction<StageResult> figure) {
            this.label = label;
            this.figure = figure;
        }

        static Metric parse(String s) {
            for (Metric m : values()) {
                if (m.label.equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--rank-by must be ttft-p90, ttft-p99 or e2e-p90, got " + s);
        }
    }

    /**
     * The comparison of one run.
     *
     * @param metric what was ranked
     * @param simulated strategy → score in simulation, best first
     * @param live strategy → score live, best first
     * @param matches whether both orders are the same
     * @param tieTolerance two strategies whose simulated scores differ by less than this fraction of the larger
     *     are a tie the simulation does not decide
     * @param separatedPairs pairs the simulation separates by more than the tolerance
     * @param separatedPairsKept of those, pairs in the same order live
     */
    record Comparison(String metric, Map<String, Double> simulated, Map<String, Double> live, boolean matches,
            double tieTolerance, int separatedPairs, int separatedPairsKept) {

        /** Whether every pair the simulation separates keeps its order live. */
        @JsonProperty("matchesBeyondTies")
        boolean matchesBeyondTies() {
            return separatedPairsKept == separatedPairs;
        }

        List<String> simulatedOrder() {
            return List.copyOf(simulated.keySet());
        }

        List<String> liveOrder() {
            return List.copyOf(live.keySet());
        }
    }

    private Ranking() {
    }

    /** Geometric mean of the metric over the stages; +inf when a stage has no value. */
    static double score(List<StageResult> stages, Metric metric) {
        double logSum = 0;
        for (StageResult st : stages) {
            double v = metric.figure.applyAsDouble(st);
            if (Double.isNaN(v)) {
                return Double.POSITIVE_INFINITY;
            }
            logSum += Math.log(Math.max(v, 1e-3));
        }
        return stages.isEmpty() ? Double.POSITIVE_INFINITY : Math.exp(logSum / stages.size());
    }

    /** Strategy → score, best (lowest) first; ties keep the input order. */
    static Map<String, Double> order(Map<String, List<StageResult>> byStrategy, Metric metric) {
        List<Map.Entry<String, Double>> scored = new ArrayList<>();
        byStrategy.forEach((name, stages) -> scored.add(Map.entry(name, score(stages, metric))));
        scored.sort((a, b) -> Double.compare(a.getValue(), b.getValue()));
        Map<String, Double> out = new LinkedHashMap<>();
        scored.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * The strategies to run live when none are given: Osprey's default and upstream's default when the scenario
     * has them, then the best-scoring other strategies that can run live and completed every Critical and Standard
     * request in simulation (a picker that sheds Standard work is not ranked on the latency of what it kept), up to
     * {@code count} in all.
     *
     * @param simulated strategy → stages, from the simulation
     * @param canRunLive which strategy names have a live scheduler setting
     */
    static List<String> pick(Map<String, List<StageResult>> simulated, Metric metric, int count,
            Predicate<String> canRunLive) {
        List<String> chosen = new ArrayList<>();
        for (String must : List.of(SchedulerFactory.OSPREY_DEFAULT, SchedulerFactory.UPSTREAM_DEFAULT)) {
            if (simulated.containsKey(must) && canRunLive.test(must) && chosen.size() < count) {
                chosen.add(must);
            }
        }
        for (String name : order(simulated, metric).keySet()) {
            if (chosen.size() >= count) {
                break;
            }
            if (!chosen.contains(name) && canRunLive.test(name) && keepsAll(simulated.get(name))) {
                chosen.add(name);
            }
        }
        return List.copyOf(chosen);
    }

    private static boolean keepsAll(List<StageResult> stages) {
        return stages.stream().allMatch(st -> st.shed().getOrDefault("critical", 0) == 0
                && st.shed().getOrDefault("standard", 0) == 0);
    }

    /**
     * Several seeds' figures as one: per strategy, every seed's stages one after the other (so its score is the
     * geometric mean over all seeds and stages, each weighing the same). Strategies missing from a seed are left
     * out.
     */
    static Map<String, List<StageResult>> pool(List<Map<String, List<StageResult>>> perSeed) {
        Map<String, List<StageResult>> out = new LinkedHashMap<>();
        if (perSeed.isEmpty()) {
            return out;
        }
        for (String name : perSeed.get(0).keySet()) {
            if (perSeed.stream().allMatch(seed -> seed.containsKey(name))) {
                List<StageResult> all = new ArrayList<>();
                perSeed.forEach(seed -> all.addAll(seed.get(name)));
                out.put(name, List.copyOf(all));
            }
        }
        return out;
    }

    /** Compares the order of {@code live}'s strategies in simulation and live. */
    static Comparison compare(Map<String, List<StageResult>> simulated, Map<String, List<StageResult>> live,
            Metric metric, double tieTolerance) {
        Map<String, List<StageResult>> simSubset = new LinkedHashMap<>();
        live.keySet().forEach(name -> {
            List<StageResult> stages = simulated.get(name);
            if (stages == null) {
                throw new IllegalArgumentException("strategy " + name + " ran live but is not in the simulation");
            }
            simSubset.put(name, stages);
        });
        Map<String, Double> sim = order(simSubset, metric);
        Map<String, Double> liv = order(live, metric);
        List<String> names = List.copyOf(sim.keySet());
        int separated = 0;
        int kept = 0;
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                double better = sim.get(names.get(i));
                double worse = sim.get(names.get(j));
                if (better < worse * (1 - tieTolerance)) {
                    separated++;
                    if (liv.get(names.get(i)) < liv.get(names.get(j))) {
                        kept++;
                    }
                }
            }
        }
        return new Comparison(metric.label, sim, liv, names.equals(List.copyOf(liv.keySet())), tieTolerance,
                separated, kept);
    }

    /** "a < b < c" with scores in ms. */
    static String describe(Map<String, Double> order) {
        List<String> parts = new ArrayList<>();
        order.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s (%.0f ms)", k, v)));
        return String.join(" < ", parts);
    }
}
