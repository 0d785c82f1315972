package dev.osprey.bench.sim;

import dev.osprey.api.Criticality;
import dev.osprey.bench.sim.RequestRecord.Status;
import dev.osprey.bench.sim.Scenario.Slo;
import dev.osprey.bench.sim.Scenario.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reduces one variant's request records to per-stage figures. Pure. */
public final class ResultsAggregator {

    private ResultsAggregator() {
    }

    /** One {@link StageResult} per stage of {@code scenario}. */
    public static List<StageResult> aggregate(Scenario scenario, List<RequestRecord> records) {
        List<Stage> stages = scenario.workload().stages();
        List<StageResult> out = new ArrayList<>();
        long start = 0;
        for (int s = 0; s < stages.size(); s++) {
            int stage = s;
            long from = start;
            long to = start + (long) (stages.get(s).durationS() * 1e9);
            List<RequestRecord> in = records.stream().filter(r -> r.stage() == stage).toList();
            long outTokens = records.stream().filter(r -> r.status() == Status.COMPLETED)
                    .filter(r -> r.arrivalNanos() + r.e2eNanos() >= from && r.arrivalNanos() + r.e2eNanos() < to)
                    .mapToLong(RequestRecord::outputTokens).sum();
            out.add(stage(stage, stages.get(s), in, outTokens, scenario.slo(), scenario.pool().servers()));
            start = to;
        }
        return out;
    }

    private static StageResult stage(int index, Stage stage, List<RequestRecord> in, long finishedOutTokens, Slo slo,
            int servers) {
        List<RequestRecord> done = in.stream().filter(r -> r.status() == Status.COMPLETED).toList();
        double[] ttft = done.stream().mapToDouble(r -> r.ttftNanos() / 1e6).sorted().toArray();
        double[] e2e = done.stream().mapToDouble(r -> r.e2eNanos() / 1e6).sorted().toArray();
        double[] tpot = done.stream().filter(r -> r.outputTokens() > 1).mapToDouble(r -> r.tpotNanos() / 1e6)
                .sorted().toArray();
        Map<String, Integer> shed = new LinkedHashMap<>();
        for (Criticality c : Criticality.values()) {
            shed.put(c.name().toLowerCase(Locale.ROOT), (int) in.stream()
                    .filter(r -> r.status() == Status.SHED && r.criticality() == c).count());
        }
        Map<String, Double> ttftByCriticality = new LinkedHashMap<>();
        for (Criticality c : Criticality.values()) {
            ttftByCriticality.put(c.name().toLowerCase(Locale.ROOT), percentile(done.stream().filter(r -> r.criticality() == c)
                    .mapToDouble(r -> r.ttftNanos() / 1e6).sorted().toArray(), 90));
        }
        int refused = (int) in.stream().filter(r -> r.status() == Status.REFUSED).count();
        long prompt = done.stream().mapToLong(RequestRecord::promptTokens).sum();
        long cached = done.stream().mapToLong(RequestRecord::cachedTokens).sum();
        long good = done.stream().filter(r -> meets(r, slo)).count();
        int[] perEndpoint = new int[servers];
        in.stream().filter(r -> r.endpoint() >= 0).forEach(r -> perEndpoint[r.endpoint()]++);
        int routed = Arrays.stream(perEndpoint).sum();
        double maxShare = routed == 0 ? 0 : (double) Arrays.stream(perEndpoint).max().orElse(0) / routed;
        double d = stage.durationS();
        return new StageResult(index, stage.rate(), d, in.size(), done.size(), shed, refused,
                percentile(ttft, 50), percentile(ttft, 90), percentile(ttft, 99), percentile(tpot, 50),
                percentile(tpot, 90), percentile(e2e, 50), percentile(e2e, 90), percentile(e2e, 99),
                finishedOutTokens / d,
                prompt == 0 ? 0 : (double) cached / prompt, good / d, ttftByCriticality, maxShare);
    }

    static boolean meets(RequestRecord r, Slo slo) {
        return (slo.ttftMs() == null || r.ttftNanos() / 1e6 <= slo.ttftMs())
                && (slo.tpotMs() == null || r.outputTokens() <= 1 || r.tpotNanos() / 1e6 <= slo.tpotMs())
                && (slo.e2eMs() == null || r.e2eNanos() / 1e6 <= slo.e2eMs());
    }

    /** Nearest-rank percentile {@code p} (0–100] of sorted values; NaN when empty. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
