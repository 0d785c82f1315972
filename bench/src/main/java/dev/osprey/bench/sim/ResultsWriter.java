package dev.osprey.bench.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes results.json, report.md and the latency plots of one simulated scenario. */
final class ResultsWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsWriter() {
    }

    static void write(Path outDir, Scenario scenario, int requests, List<VariantResult> variants)
            throws IOException {
        Files.createDirectories(outDir);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scenario", scenario);
        root.put("requestsPerVariant", requests);
        root.put("variants", variants);
        JSON.writeValue(outDir.resolve("results.json").toFile(), root);
        LatencyPlot.write(outDir.resolve("ttft-p90.png"), scenario.name() + ": TTFT p90", variants,
                StageResult::ttftP90);
        LatencyPlot.write(outDir.resolve("ttft-p99.png"), scenario.name() + ": TTFT p99", variants,
                StageResult::ttftP99);
        LatencyPlot.write(outDir.resolve("e2e-p90.png"), scenario.name() + ": end-to-end p90", variants,
                StageResult::e2eP90);
        LatencyPlot.write(outDir.resolve("tpot-p90.png"), scenario.name() + ": TPOT p90", variants,
                StageResult::tpotP90);
        Files.writeString(outDir.resolve("report.md"), report(scenario, requests, variants));
    }

    static String report(Scenario scenario, int requests, List<VariantResult> variants) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Routing simulation: ").append(scenario.name()).append("\n\n");
        sb.append("Seed ").append(scenario.seed()).append(", ").append(scenario.pool().servers()).append(" × ")
                .append(scenario.pool().profile()).append(" (KV blocks ").append(scenario.pool().kvBlocks())
                .append(", max-loras ").append(scenario.pool().maxLoras()).append("), scrape every ")
                .append(scenario.pipeline().scrapeIntervalMs()).append(" ms, ").append(requests)
                .append(" requests per variant");
        if (scenario.pipeline().eppReplicas().stream().anyMatch(n -> n > 1)) {
            sb.append("; picker replicas ").append(scenario.pipeline().eppReplicas()).append(" (label suffix @Nx), "
                    + "shared state reaches the other replicas after ").append(scenario.pipeline().sharedStateDelayMs())
                    .append(" ms");
        }
        sb.append(". Latencies in ms; plots: ttft-p90.png, ttft-p99.png, e2e-p90.png, tpot-p90.png.\n\n");
        List<StageResult> stages = variants.get(0).stages();
        for (int s = 0; s < stages.size(); s++) {
            StageResult st = stages.get(s);
            sb.append(String.format("## Stage %d: %s req/s for %s s (%d requests)%n%n", s, num(st.rate()),
                    num(st.durationS()), st.offered()));
            sb.append("| strategy | TTFT p50 | TTFT p90 | TTFT p99 | TPOT p50 | TPOT p90 | E2E p50 | E2E p90 | "
                    + "E2E p99 | out tok/s | completed | shed C/S/Sh | prefix hit | goodput/s | max share |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (VariantResult v : variants) {
                StageResult r = v.stages().get(s);
                sb.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d/%d/%d | %.1f%% "
                        + "| %s | %.2f |%n", v.label(), ms(r.ttftP50()), ms(r.ttftP90()), ms(r.ttftP99()),
                        ms(r.tpotP50()), ms(r.tpotP90()), ms(r.e2eP50()), ms(r.e2eP90()), ms(r.e2eP99()),
                        num(r.outputTokensPerSecond()), r.completed(), r.shed().get("critical"),
                        r.shed().get("standard"), r.shed().get("sheddable"), 100 * r.prefixCacheHitRate(),
                        num(r.goodput()), r.maxEndpointShare()));
            }
            if (mixed(scenario)) {
                sb.append("\nTTFT p90 by criticality (Critical / Standard / Sheddable): ");
                for (VariantResult v : variants) {
                    Map<String, Double> m = v.stages().get(s).ttftP90ByCriticality();
                    sb.append(v.label()).append(' ').append(ms(m.get("critical"))).append(" / ")
                            .append(ms(m.get("standard"))).append(" / ").append(ms(m.get("sheddable"))).append("; ");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        sb.append(ReportComparisons.markdown(variants));
        sb.append("Simulation wall time per variant: ");
        for (VariantResult v : variants) {
            sb.append(v.label()).append(' ').append(v.wallMillis()).append(" ms; ");
        }
        sb.append("\n");
        return sb.toString();
    }

    private static boolean mixed(Scenario scenario) {
        Scenario.CriticalityMix m = scenario.workload().criticality();
        int kinds = (m.critical() > 0 ? 1 : 0) + (m.standard() > 0 ? 1 : 0) + (m.sheddable() > 0 ? 1 : 0);
        return kinds > 1;
    }

    private static String ms(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format("%.0f", v) : String.format("%.1f", v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.1f", v);
    }
}
