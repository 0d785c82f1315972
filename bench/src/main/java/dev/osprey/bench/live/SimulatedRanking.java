package dev.osprey.bench.live;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.osprey.bench.sim.Scenario;
import dev.osprey.bench.sim.SimulateCommand;
import dev.osprey.bench.sim.StageResult;
import dev.osprey.bench.sim.VariantResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The simulation side of a live comparison: strategy → per-stage figures, simulated here or read from a file. */
final class SimulatedRanking {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SimulatedRanking() {
    }

    /** Simulates every strategy of the scaled scenario (first pipeline delay only). */
    static Map<String, List<StageResult>> simulate(Scenario scaled, Path scenarioDir, PrintStream progress) {
        Map<String, List<StageResult>> out = new LinkedHashMap<>();
        for (VariantResult v : SimulateCommand.simulate(scaled, scenarioDir, progress)) {
            out.putIfAbsent(v.strategy(), v.stages());
        }
        return out;
    }

    /**
     * Reads the one-replica variants of the smallest pipeline delay from a {@code simulate} results.json.
     *
     * @param stages how many stages the scaled scenario has; the file must have as many
     * @throws IOException when the file cannot be read or does not look like simulate's output
     */
    static Map<String, List<StageResult>> read(Path resultsJson, int stages) throws IOException {
        JsonNode root = JSON.readTree(resultsJson.toFile());
        JsonNode variants = root.path("variants");
        if (!variants.isArray() || variants.isEmpty()) {
            throw new IOException(resultsJson + " has no variants (is it simulate's results.json?)");
        }
        int minDelay = Integer.MAX_VALUE;
        for (JsonNode v : variants) {
            minDelay = Math.min(minDelay, v.path("pipelineDelayMs").asInt());
        }
        Map<String, List<StageResult>> out = new LinkedHashMap<>();
        for (JsonNode v : variants) {
            // the live pipeline has one EPP: variants with several picker replicas are not its counterpart
            if (v.path("pipelineDelayMs").asInt() != minDelay || v.path("eppReplicas").asInt(1) > 1) {
                continue;
            }
            VariantResult variant = JSON.treeToValue(v, VariantResult.class);
            if (variant.stages().size() != stages) {
                throw new IOException(resultsJson + ": " + variant.strategy() + " has " + variant.stages().size()
                        + " stages, the scaled scenario " + stages + "; simulate the scaled scenario "
                        + "(scenario-scaled.yaml in the output directory)");
            }
            out.putIfAbsent(variant.strategy(), variant.stages());
        }
        return out;
    }
}
