package dev.osprey.bench.sim;

import static dev.osprey.epp.scheduling.SchedulerFactory.OSPREY_DEFAULT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The headline ratios of a report. "Osprey vs best upstream": per pipeline delay and stage, Osprey's default
 * profile against the best (lowest) of the upstream and baseline strategies on the same traffic, counting only
 * strategies that completed every Critical and Standard request of the stage (a picker that drops Standard work
 * is not compared on the latency of what it kept). "Staleness": per strategy and stage, a latency at the largest
 * pipeline delay divided by the same latency at delay 0 (with the fewest picker replicas). "Active-active": per
 * strategy and stage, TTFT p90 with each number of picker replicas over the same with the fewest.
 */
final class ReportComparisons {

    /** Osprey's own pickers, left out of "best upstream". */
    private static final List<String> OSPREY_OWN = List.of(OSPREY_DEFAULT, "epp-least-load",
            Strategies.OSPREY_UNSHARED);

    private ReportComparisons() {
    }

    static String markdown(List<VariantResult> variants) {
        StringBuilder sb = new StringBuilder();
        Map<Integer, Map<Integer, List<VariantResult>>> byReplicas = new LinkedHashMap<>();
        for (VariantResult v : variants) {
            byReplicas.computeIfAbsent(v.eppReplicas(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(v.pipelineDelayMs(), k -> new ArrayList<>()).add(v);
        }
        boolean severalReplicaCounts = byReplicas.size() > 1;
        if (variants.stream().anyMatch(v -> v.strategy().equals(OSPREY_DEFAULT))) {
            sb.append("## Osprey default vs best upstream strategy\n\n");
            sb.append("Ratio < 1 means Osprey's default is faster. Best = lowest value among the non-Osprey "
                    + "strategies that completed every Critical and Standard request of the stage.\n\n");
            sb.append("| delay | stage | rate | TTFT p90 osprey | best (strategy) | ratio | TTFT p99 osprey | "
                    + "best (strategy) | ratio |\n|---|---|---|---|---|---|---|---|---|\n");
            byReplicas.forEach((replicas, byDelay) -> byDelay.forEach((delay, list) -> compare(sb,
                    delay + " ms" + (severalReplicaCounts ? ", " + replicas + " EPP" : ""), list)));
            sb.append('\n');
        }
        Map<Integer, List<VariantResult>> fewest = byReplicas.values().iterator().next();
        if (fewest.size() > 1) {
            staleness(sb, fewest);
        }
        if (severalReplicaCounts) {
            replicas(sb, byReplicas);
        }
        return sb.toString();
    }

    /** Per strategy and stage, TTFT p90 with each replica count over TTFT p90 with the fewest (smallest delay). */
    private static void replicas(StringBuilder sb, Map<Integer, Map<Integer, List<VariantResult>>> byReplicas) {
        List<Integer> counts = List.copyOf(byReplicas.keySet());
        List<List<VariantResult>> lists = new ArrayList<>();
        for (Map<Integer, List<VariantResult>> byDelay : byReplicas.values()) {
            int minDelay = byDelay.keySet().stream().mapToInt(Integer::intValue).min().orElse(0);
            lists.add(byDelay.get(minDelay));
        }
        sb.append("## Active-active pickers: TTFT p90 with N replicas / with ").append(counts.get(0))
                .append("\n\nArrivals spread over the replicas in turn; osprey-default's replicas share in-flight "
                        + "counts and routed prefixes through the aggregator, upstream's keep their own.\n\n");
        StringBuilder header = new StringBuilder("| strategy | stage | rate |");
        StringBuilder rule = new StringBuilder("|---|---|---|");
        for (int n : counts) {
            header.append(" TTFT p90 @").append(n).append(" |");
            rule.append("---|");
        }
        for (int k = 1; k < counts.size(); k++) {
            header.append(" ratio ").append(counts.get(k)).append('/').append(counts.get(0)).append(" |");
            rule.append("---|");
        }
        sb.append(header).append('\n').append(rule).append('\n');
        for (VariantResult base : lists.get(0)) {
            List<VariantResult> same = new ArrayList<>();
            for (List<VariantResult> list : lists) {
                list.stream().filter(v -> v.strategy().equals(base.strategy())).findFirst().ifPresent(same::add);
            }
            if (same.size() != counts.size()) {
                continue;
            }
            for (int s = 0; s < base.stages().size(); s++) {
                sb.append(String.format("| %s | %d | %s |", base.strategy(), s, num(base.stages().get(s).rate())));
                for (VariantResult v : same) {
                    sb.append(String.format(" %.0f |", v.stages().get(s).ttftP90()));
                }
                for (int k = 1; k < same.size(); k++) {
                    sb.append(' ').append(ratio(same.get(k).stages().get(s).ttftP90(), base.stages().get(s).ttftP90()))
                            .append(" |");
                }
                sb.append('\n');
            }
        }
        sb.append('\n');
    }

    private static void compare(StringBuilder sb, String group, List<VariantResult> list) {
        Optional<VariantResult> osprey = list.stream().filter(v -> v.strategy().equals(OSPREY_DEFAULT)).findFirst();
        if (osprey.isEmpty()) {
            return;
        }
        List<StageResult> own = osprey.get().stages();
        for (int s = 0; s < own.size(); s++) {
            Best p90 = best(list, s, StageResult::ttftP90);
            Best p99 = best(list, s, StageResult::ttftP99);
            StageResult o = own.get(s);
            sb.append(String.format("| %s | %d | %s | %.0f | %s | %s | %.0f | %s | %s |%n", group, s,
                    num(o.rate()), o.ttftP90(), p90.describe(), ratio(o.ttftP90(), p90.value()), o.ttftP99(),
                    p99.describe(), ratio(o.ttftP99(), p99.value())));
        }
    }

    private static void staleness(StringBuilder sb, Map<Integer, List<VariantResult>> byDelay) {
        int min = byDelay.keySet().stream().mapToInt(Integer::intValue).min().orElse(0);
        int max = byDelay.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        sb.append(String.format("## Staleness: TTFT p99 at %d ms delay / at %d ms%n%n", max, min));
        sb.append("| strategy | stage | rate | TTFT p99 @").append(min).append(" ms | TTFT p99 @").append(max)
                .append(" ms | ratio |\n|---|---|---|---|---|---|\n");
        for (VariantResult lo : byDelay.get(min)) {
            byDelay.get(max).stream().filter(v -> v.strategy().equals(lo.strategy())).findFirst().ifPresent(hi -> {
                for (int s = 0; s < lo.stages().size(); s++) {
                    double a = lo.stages().get(s).ttftP99();
                    double b = hi.stages().get(s).ttftP99();
                    sb.append(String.format("| %s | %d | %s | %.0f | %.0f | %s |%n", lo.strategy(), s,
                            num(lo.stages().get(s).rate()), a, b, ratio(b, a)));
                }
            });
        }
        sb.append('\n');
    }

    private static Best best(List<VariantResult> list, int stage, ToDoubleFunction<StageResult> metric) {
        Best best = new Best("–", Double.NaN);
        for (VariantResult v : list) {
            if (OSPREY_OWN.contains(v.strategy())) {
                continue;
            }
            StageResult r = v.stages().get(stage);
            if (r.shed().get("critical") > 0 || r.shed().get("standard") > 0) {
                continue;
            }
            double value = metric.applyAsDouble(r);
            if (!Double.isNaN(value) && (Double.isNaN(best.value()) || value < best.value())) {
                best = new Best(v.strategy(), value);
            }
        }
        return best;
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "–" : String.format("%.2f", a / b);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.1f", v);
    }

    private record Best(String strategy, double value) {
        String describe() {
            return Double.isNaN(value) ? "–" : String.format("%.0f (%s)", value, strategy);
        }
    }
}
