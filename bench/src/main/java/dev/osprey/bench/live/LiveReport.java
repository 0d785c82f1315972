package dev.osprey.bench.live;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.osprey.bench.sim.Scenario;
import dev.osprey.bench.sim.StageResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a live run's results.json and report.md. */
final class LiveReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Everything a live run produced.
     *
     * @param command the command line, for the report
     * @param scaled the scaled scenario every figure is for (its seed is the first run seed's)
     * @param simulationSource "simulated here" or the results.json read
     * @param seeds one entry per traffic seed, in run order
     * @param comparison the ranking over every seed's stages together (the one seed's when there is one)
     * @param loadBefore load average (1, 5, 15 min) before the first run, or "" when unknown
     * @param loadAfter the same after the last run
     */
    record Run(String command, LiveScale scale, Scenario scaled, String simulationSource, List<SeedRun> seeds,
            Ranking.Comparison comparison, String loadBefore, String loadAfter) {
    }

    /**
     * One traffic seed: its simulation, its live runs and their comparison.
     *
     * @param seed the traffic seed
     * @param requests requests per strategy
     * @param simulated every simulated strategy's stages
     * @param live the live runs, in run order
     * @param comparison this seed's ranking alone
     */
    record SeedRun(long seed, @JsonProperty("requestsPerStrategy") int requests,
            @JsonProperty("simulation") Map<String, List<StageResult>> simulated, List<LiveVariant> live,
            Ranking.Comparison comparison) {
    }

    private LiveReport() {
    }

    static void write(Path outDir, Run run) throws IOException {
        Files.createDirectories(outDir);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", run.command());
        root.put("scale", run.scale());
        root.put("scenario", run.scaled());
        root.put("loadAverageBefore", run.loadBefore());
        root.put("loadAverageAfter", run.loadAfter());
        root.put("comparison", run.comparison());
        root.put("simulationSource", run.simulationSource());
        root.put("seeds", run.seeds());
        JSON.writeValue(outDir.resolve("results.json").toFile(), root);
        Files.writeString(outDir.resolve("report.md"), markdown(run));
    }

    static String markdown(Run run) {
        Scenario s = run.scaled();
        boolean several = run.seeds().size() > 1;
        StringBuilder sb = new StringBuilder();
        sb.append("# Live routing run: ").append(s.name()).append("\n\n");
        sb.append("`").append(run.command()).append("`\n\n");
        sb.append(String.format(Locale.ROOT, "Scale: %s. Pool: %d × %s (KV blocks %d), scrape every %d ms; seed%s %s; "
                + "%s requests per strategy%s, each strategy on a fresh pipeline. Simulation: %s. Load average "
                + "before: %s; after: %s. Latencies in ms, measured by the client (TTFT = first SSE chunk).%n%n",
                run.scale().describe(), s.pool().servers(), s.pool().profile(), s.pool().kvBlocks(),
                s.pipeline().scrapeIntervalMs(), several ? "s" : "",
                String.join(", ", run.seeds().stream().map(r -> String.valueOf(r.seed())).toList()),
                String.join(" / ", run.seeds().stream().map(r -> String.valueOf(r.requests())).toList()),
                several ? " and seed" : "", run.simulationSource(), run.loadBefore(), run.loadAfter()));
        Ranking.Comparison c = run.comparison();
        sb.append("## Ranking by ").append(c.metric()).append(" (geometric mean over the stages")
                .append(several ? " of every seed" : "").append(")\n\n");
        sb.append("| rank | simulation | live |\n|---|---|---|\n");
        List<String> sim = c.simulatedOrder();
        List<String> live = c.liveOrder();
        for (int i = 0; i < Math.max(sim.size(), live.size()); i++) {
            sb.append(String.format(Locale.ROOT, "| %d | %s | %s |%n", i + 1, cell(sim, c.simulated(), i),
                    cell(live, c.live(), i)));
        }
        sb.append("\nThe live ranking ").append(c.matches() ? "**matches**" : "**does not match**")
                .append(" the simulation's. ");
        sb.append(String.format(Locale.ROOT, "Pairs the simulation separates by more than %d %% (closer ones are a "
                + "tie it does not decide): %d, of which %d keep their order live (%s).%n%n",
                Math.round(100 * c.tieTolerance()), c.separatedPairs(), c.separatedPairsKept(),
                c.matchesBeyondTies() ? "**all**" : "**not all**"));
        if (several) {
            sb.append("## Each seed alone\n\n| seed | simulation | live | order matches | separated pairs kept |\n"
                    + "|---|---|---|---|---|\n");
            for (SeedRun r : run.seeds()) {
                Ranking.Comparison rc = r.comparison();
                sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %d of %d |%n", r.seed(),
                        Ranking.describe(rc.simulated()), Ranking.describe(rc.live()), rc.matches() ? "yes" : "no",
                        rc.separatedPairsKept(), rc.separatedPairs()));
            }
            sb.append('\n');
        }
        for (SeedRun r : run.seeds()) {
            stageTables(sb, r, several);
        }
        sb.append("## Runs\n\n| seed | strategy | EPP scheduler | start-up ms | max send lag ms | wall s | errors |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (SeedRun r : run.seeds()) {
            for (LiveVariant v : r.live()) {
                sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %d | %.0f | %s |%n", r.seed(),
                        v.strategy(), v.scheduler(), v.startupMillis(), v.maxSendLagMillis(), v.wallMillis() / 1000.0,
                        v.errorsByReason().isEmpty() ? "none" : v.errorsByReason().toString()));
            }
        }
        return sb.toString();
    }

    private static void stageTables(StringBuilder sb, SeedRun run, boolean nameSeed) {
        List<StageResult> stages = run.live().get(0).stages();
        for (int st = 0; st < stages.size(); st++) {
            StageResult first = stages.get(st);
            sb.append(String.format(Locale.ROOT, "## %s %d: %s req/s for %s s (%d requests)%n%n",
                    nameSeed ? "Seed " + run.seed() + ", stage" : "Stage", st, num(first.rate()),
                    num(first.durationS()), first.offered()));
            sb.append("| strategy | run | TTFT p50 | TTFT p90 | TTFT p99 | E2E p50 | E2E p90 | E2E p99 | completed | "
                    + "shed | errors | prefix hit | max share |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (LiveVariant v : run.live()) {
                row(sb, v.strategy(), "live", v.stages().get(st));
                List<StageResult> simStages = run.simulated().get(v.strategy());
                if (simStages != null) {
                    row(sb, v.strategy(), "sim", simStages.get(st));
                }
            }
            sb.append('\n');
        }
    }

    private static void row(StringBuilder sb, String strategy, String kind, StageResult r) {
        int shed = r.shed().values().stream().mapToInt(Integer::intValue).sum();
        sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %d | %.1f%% | %.2f |%n",
                strategy, kind, ms(r.ttftP50()), ms(r.ttftP90()), ms(r.ttftP99()), ms(r.e2eP50()), ms(r.e2eP90()),
                ms(r.e2eP99()), r.completed(), shed, r.refused(), 100 * r.prefixCacheHitRate(), r.maxEndpointShare()));
    }

    private static String cell(List<String> order, Map<String, Double> scores, int i) {
        if (i >= order.size()) {
            return "";
        }
        return String.format(Locale.ROOT, "%s (%s)", order.get(i), ms(scores.get(order.get(i))));
    }

    static String ms(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
