package dev.osprey.bench.sim;

import dev.osprey.bench.sim.Scenario.StrategySpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code simulate --scenario FILE --out DIR [--trace] [--seed N] [--strategies LIST]}: every strategy of the
 * scenario (or those listed), under every pipeline delay, on the same generated traffic (from the scenario's seed or
 * {@code --seed}) in virtual time; writes results.json, report.md and plots to DIR, and with {@code --trace} one
 * trace/VARIANT.tsv per variant ({@link RequestTrace}) and tail.md ({@link TailBreakdown}).
 */
public final class SimulateCommand {

    private SimulateCommand() {
    }

    /** Runs a loaded scenario and returns the results (no files written). */
    public static List<VariantResult> simulate(Scenario scenario, Path scenarioDir, PrintStream progressOut) {
        return simulate(scenario, scenarioDir, progressOut, null);
    }

    /**
     * As {@link #simulate(Scenario, Path, PrintStream)}; with {@code traces} non-null, every completed request's
     * trace is added to it under its variant's label (in completion order).
     */
    public static List<VariantResult> simulate(Scenario scenario, Path scenarioDir, PrintStream progressOut,
            Map<String, List<RequestTrace>> traces) {
        List<SimRequest> requests = WorkloadGenerator.generate(scenario.workload(), scenario.seed());
        List<Integer> delays = scenario.pipeline().delaysMs();
        List<Integer> replicaCounts = scenario.pipeline().eppReplicas();
        List<StrategySpec> strategies = scenario.strategies();
        Progress progress = new Progress(progressOut,
                (long) requests.size() * delays.size() * replicaCounts.size() * strategies.size());
        List<VariantResult> results = new ArrayList<>();
        long done = 0;
        for (int replicas : replicaCounts) {
            for (int delay : delays) {
                for (StrategySpec spec : strategies) {
                    Function<RunContext, RoutingStrategy> factory = Strategies.factory(spec, scenarioDir);
                    String label = spec.label() + (delays.size() > 1 ? "@" + delay + "ms" : "")
                            + (replicaCounts.size() > 1 ? "@" + replicas + "x" : "");
                    progress.begin(scenario.name() + " " + label, done);
                    long start = System.nanoTime();
                    Consumer<RequestTrace> sink = null;
                    if (traces != null) {
                        List<RequestTrace> list = new ArrayList<>();
                        traces.put(label, list);
                        sink = list::add;
                    }
                    List<RequestRecord> records = new SimulationRun(scenario, requests, factory, delay, replicas,
                            progress::update, sink).run();
                    long wall = (System.nanoTime() - start) / 1_000_000L;
                    results.add(new VariantResult(label, spec.label(), delay, replicas,
                            ResultsAggregator.aggregate(scenario, records), wall));
                    done += requests.size();
                }
            }
        }
        progress.finish();
        return results;
    }

    /**
     * Parses the arguments and runs; returns the process exit status (0 ok, 2 bad usage or scenario, 1 I/O).
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path scenarioFile = null;
        Path outDir = null;
        boolean trace = false;
        Long seed = null;
        List<String> only = List.of();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--trace")) {
                trace = true;
                continue;
            }
            String v = i + 1 < args.length ? args[++i] : null;
            switch (v == null ? "" : a) {
                case "--scenario" -> scenarioFile = Path.of(v);
                case "--out" -> outDir = Path.of(v);
                case "--strategies" -> only = List.of(v.split("\\s*,\\s*"));
                case "--seed" -> {
                    try {
                        seed = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        err.println("error: simulate: --seed must be a whole number, got " + v);
                        return 2;
                    }
                }
                default -> {
                    err.println("error: simulate: unknown or incomplete option " + a);
                    return 2;
                }
            }
        }
        if (scenarioFile == null || outDir == null) {
            err.println("error: simulate needs --scenario FILE and --out DIR (and takes --trace, --seed N, "
                    + "--strategies LIST)");
            return 2;
        }
        Scenario scenario;
        try {
            scenario = override(ScenarioLoader.load(scenarioFile), seed, only);
        } catch (ScenarioException e) {
            err.println("error: " + scenarioFile + ": " + e.getMessage());
            return 2;
        }
        Path dir = scenarioFile.toAbsolutePath().getParent();
        List<VariantResult> results;
        Map<String, List<RequestTrace>> traces = trace ? new LinkedHashMap<>() : null;
        try {
            results = simulate(scenario, dir, err, traces);
        } catch (ScenarioException e) {
            err.println("error: " + scenarioFile + ": " + e.getMessage());
            return 2;
        }
        int requests = results.get(0).stages().stream().mapToInt(StageResult::offered).sum();
        try {
            ResultsWriter.write(outDir, scenario, requests, results);
            if (traces != null) {
                writeTraces(outDir, scenario, traces);
            }
        } catch (IOException e) {
            err.println("error: cannot write results to " + outDir + ": " + e.getMessage());
            return 1;
        }
        out.println("wrote " + outDir.resolve("results.json") + ", report.md and plots ("
                + results.size() + " variants × " + requests + " requests)" + (trace ? ", traces and tail.md" : ""));
        return 0;
    }

    /**
     * The scenario with another traffic seed and/or only some of its strategies (in the scenario's order).
     *
     * @throws ScenarioException naming a strategy the scenario does not have
     */
    static Scenario override(Scenario s, Long seed, List<String> only) {
        List<StrategySpec> strategies = s.strategies();
        if (!only.isEmpty()) {
            for (String name : only) {
                if (strategies.stream().noneMatch(spec -> spec.label().equals(name))) {
                    throw new ScenarioException("--strategies: the scenario has no strategy '" + name + "' (it has "
                            + strategies.stream().map(StrategySpec::label).toList() + ")");
                }
            }
            strategies = strategies.stream().filter(spec -> only.contains(spec.label())).toList();
        }
        Scenario chosen = new Scenario(s.name(), s.seed(), s.pool(), s.pipeline(), s.workload(), s.slo(), strategies);
        return seed == null ? chosen : chosen.withSeed(seed);
    }

    private static void writeTraces(Path outDir, Scenario scenario, Map<String, List<RequestTrace>> traces)
            throws IOException {
        Path dir = Files.createDirectories(outDir.resolve("trace"));
        int maxNumSeqs = SimulationRun.engineConfig(scenario.pool(), scenario.seed()).maxNumSeqs();
        StringBuilder tail = new StringBuilder("# Where the slowest first tokens come from: ").append(scenario.name())
                .append("\n\nPer stage: TTFT p99, then the requests at or above it — their mean TTFT, queue wait "
                        + "(engine arrival to first scheduled step), prefill (first scheduled step to first token), "
                        + "response overhead, how many were preempted, and the waiting queue of the server they went "
                        + "to and of the least-waiting server when they were dispatched (true engine state). "
                        + "\"Dispatched with all servers at the limit\": share of the stage's requests dispatched "
                        + "while every server ran max-num-seqs (" + maxNumSeqs + ") sequences. \"Clairvoyant TTFT "
                        + "p99\": the "
                        + "stage's TTFT p99 if each of those had waited for a slot only as long as on the server that "
                        + "freed one first (from the real finish times; first order). Latencies in ms; per-request "
                        + "traces in trace/.\n\n");
        for (Map.Entry<String, List<RequestTrace>> e : traces.entrySet()) {
            List<RequestTrace> list = new ArrayList<>(e.getValue());
            list.sort(java.util.Comparator.comparingInt(RequestTrace::index));
            StringBuilder tsv = new StringBuilder(RequestTrace.HEADER).append('\n');
            for (RequestTrace t : list) {
                tsv.append(t.tsv()).append('\n');
            }
            Files.writeString(dir.resolve(e.getKey() + ".tsv"), tsv);
            tail.append(TailBreakdown.markdown(e.getKey(), list, scenario.workload().stages(), maxNumSeqs,
                    scenario.pool().servers()));
        }
        Files.writeString(outDir.resolve("tail.md"), tail);
    }
}
