package dev.osprey.bench.sim;

import dev.osprey.bench.sim.Scenario.StrategySpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code simulate --scenario FILE --out DIR}: every strategy of the scenario, under every pipeline delay, on the
 * same generated traffic in virtual time; writes results.json, report.md and plots to DIR.
 */
public final class SimulateCommand {

    private SimulateCommand() {
    }

    /** Runs a loaded scenario and returns the results (no files written). */
    public static List<VariantResult> simulate(Scenario scenario, Path scenarioDir, PrintStream progressOut) {
        List<SimRequest> requests = WorkloadGenerator.generate(scenario.workload(), scenario.seed());
        List<Integer> delays = scenario.pipeline().delaysMs();
        List<StrategySpec> strategies = scenario.strategies();
        Progress progress = new Progress(progressOut, (long) requests.size() * delays.size() * strategies.size());
        List<VariantResult> results = new ArrayList<>();
        long done = 0;
        for (int delay : delays) {
            for (StrategySpec spec : strategies) {
                Function<RunContext, RoutingStrategy> factory = Strategies.factory(spec, scenarioDir);
                String label = delays.size() > 1 ? spec.label() + "@" + delay + "ms" : spec.label();
                progress.begin(scenario.name() + " " + label, done);
                long start = System.nanoTime();
                List<RequestRecord> records = new SimulationRun(scenario, requests, factory, delay, progress::update)
                        .run();
                long wall = (System.nanoTime() - start) / 1_000_000L;
                results.add(new VariantResult(label, spec.label(), delay,
                        ResultsAggregator.aggregate(scenario, records), wall));
                done += requests.size();
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
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--scenario") || a.equals("--out")) && i + 1 < args.length) {
                Path p = Path.of(args[++i]);
                if (a.equals("--scenario")) {
                    scenarioFile = p;
                } else {
                    outDir = p;
                }
            } else {
                err.println("error: simulate: unknown or incomplete option " + a);
                return 2;
            }
        }
        if (scenarioFile == null || outDir == null) {
            err.println("error: simulate needs --scenario FILE and --out DIR");
            return 2;
        }
        Scenario scenario;
        try {
            scenario = ScenarioLoader.load(scenarioFile);
        } catch (ScenarioException e) {
            err.println("error: " + scenarioFile + ": " + e.getMessage());
            return 2;
        }
        Path dir = scenarioFile.toAbsolutePath().getParent();
        List<VariantResult> results;
        try {
            results = simulate(scenario, dir, err);
        } catch (ScenarioException e) {
            err.println("error: " + scenarioFile + ": " + e.getMessage());
            return 2;
        }
        int requests = results.get(0).stages().stream().mapToInt(StageResult::offered).sum();
        try {
            ResultsWriter.write(outDir, scenario, requests, results);
        } catch (IOException e) {
            err.println("error: cannot write results to " + outDir + ": " + e.getMessage());
            return 1;
        }
        out.println("wrote " + outDir.resolve("results.json") + ", report.md and plots ("
                + results.size() + " variants × " + requests + " requests)");
        return 0;
    }
}
