package dev.osprey.bench.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.osprey.bench.sim.ResultsAggregator;
import dev.osprey.bench.sim.Scenario;
import dev.osprey.bench.sim.Scenario.Stage;
import dev.osprey.bench.sim.Scenario.StrategySpec;
import dev.osprey.bench.sim.ScenarioException;
import dev.osprey.bench.sim.ScenarioLoader;
import dev.osprey.bench.sim.SimRequest;
import dev.osprey.bench.sim.StageResult;
import dev.osprey.bench.sim.WorkloadGenerator;
import dev.osprey.epp.scheduling.SchedulerFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code live --scenario FILE --out DIR}: the scenario scaled down ({@link LiveScale}), simulated in virtual time
 * and run in real time through the real pipeline once per strategy, each on a fresh pipeline; then the two rankings
 * are compared. See docs/benchmarks/live.md.
 */
public final class LiveCommand {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private LiveCommand() {
    }

    /** Parses, runs and writes; returns the exit status (0 ok, 2 bad usage or scenario, 1 run or I/O failure). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (java.util.Arrays.asList(args).contains("--help")) {
            out.print("Usage: java -jar bench/target/osprey-bench.jar " + LiveOptions.USAGE);
            return 0;
        }
        LiveOptions.Parsed parsed = LiveOptions.parse(args);
        if (parsed instanceof LiveOptions.Invalid invalid) {
            err.println("error: live: " + invalid.message());
            return 2;
        }
        LiveOptions o = ((LiveOptions.Ok) parsed).options();
        Path dir = o.scenario().toAbsolutePath().getParent();
        Scenario scaled;
        Map<String, String> schedulers;
        try {
            scaled = o.scale().apply(ScenarioLoader.load(o.scenario()), dir);
            schedulers = schedulers(scaled, dir);
            dev.osprey.allinone.AllInOneConfig.defaults().withEppSettings(o.eppSettings());
        } catch (ScenarioException | IllegalArgumentException e) {
            err.println("error: " + o.scenario() + ": " + e.getMessage());
            return 2;
        }
        try {
            Files.createDirectories(o.out());
            YAML.writeValue(o.out().resolve("scenario-scaled.yaml").toFile(), scaled);
            LiveReport.Run result = execute(o, scaled, dir, schedulers, String.join(" ", args), err);
            LiveReport.write(o.out(), result);
            out.println("wrote " + o.out().resolve("results.json") + " and report.md; ranking by "
                    + result.comparison().metric() + ": simulation " + Ranking.describe(result.comparison().simulated())
                    + "; live " + Ranking.describe(result.comparison().live()) + "; "
                    + (result.comparison().matches() ? "MATCHES" : "DOES NOT MATCH") + "; pairs the simulation "
                    + "separates by more than " + Math.round(100 * result.comparison().tieTolerance()) + " %: "
                    + result.comparison().separatedPairsKept() + " of " + result.comparison().separatedPairs()
                    + " keep their order" + perSeed(result));
            return 0;
        } catch (ScenarioException | IllegalArgumentException e) {
            err.println("error: live: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("error: live run failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: live run interrupted");
            return 1;
        }
    }

    /** With several seeds, how many of them alone rank as the simulation does; empty with one. */
    private static String perSeed(LiveReport.Run result) {
        if (result.seeds().size() < 2) {
            return "";
        }
        long matching = result.seeds().stream().filter(r -> r.comparison().matches()).count();
        return " (ranked over " + result.seeds().size() + " seeds together; each seed alone: the order matches in "
                + matching + " of " + result.seeds().size() + ")";
    }

    /** Strategy name → EPP scheduler setting, for the strategies that can run live. */
    private static Map<String, String> schedulers(Scenario scaled, Path dir) {
        Map<String, String> out = new LinkedHashMap<>();
        for (StrategySpec spec : scaled.strategies()) {
            LiveStrategies.schedulerFor(spec, dir).ifPresent(s -> out.put(spec.label(), s));
        }
        return out;
    }

    private static LiveReport.Run execute(LiveOptions o, Scenario scaled, Path dir, Map<String, String> schedulers,
            String command, PrintStream log) throws IOException, InterruptedException {
        int stages = scaled.workload().stages().size();
        List<Scenario> seeded = o.seeds().isEmpty() ? List.of(scaled)
                : o.seeds().stream().map(scaled::withSeed).toList();
        List<Map<String, List<StageResult>>> simulated = new ArrayList<>();
        String source;
        if (o.simResults().isPresent()) {
            simulated.add(SimulatedRanking.read(o.simResults().get(), stages));
            source = "read from " + o.simResults().get();
        } else {
            for (Scenario s : seeded) {
                log.println("simulating the scaled workload with seed " + s.seed() + " (" + s.strategies().size()
                        + " strategies)...");
                simulated.add(SimulatedRanking.simulate(s, dir, log));
            }
            source = "simulated in the same command (pipeline delay " + scaled.pipeline().delaysMs().get(0) + " ms)";
        }
        Map<String, List<StageResult>> pooledSim = Ranking.pool(simulated);
        List<String> chosen = o.strategies().isEmpty()
                ? Ranking.pick(pooledSim, o.rankBy(), 3, schedulers::containsKey) : o.strategies();
        for (String name : chosen) {
            if (!schedulers.containsKey(name)) {
                throw new IllegalArgumentException("--strategies: '" + name + "' is not a strategy of the scenario "
                        + "that can run live (live: " + String.join(", ", schedulers.keySet()) + ")");
            }
            if (!pooledSim.containsKey(name)) {
                throw new IllegalArgumentException("--strategies: '" + name + "' is not in the simulation results");
            }
        }
        log.println("live strategies: " + chosen);
        String loadBefore = loadAverage();
        if (!o.warmup().isZero()) {
            warmUp(seeded.get(0), new LiveRun(seeded.get(0), o.out(), o.drainTimeout(), o.eppSettings(), log), o);
        }
        List<LiveReport.SeedRun> runs = new ArrayList<>();
        for (int i = 0; i < seeded.size(); i++) {
            runs.add(runSeed(seeded.get(i), simulated.get(i), chosen, schedulers, o, log));
        }
        Ranking.Comparison comparison = Ranking.compare(pooledSim,
                Ranking.pool(runs.stream().map(r -> liveStages(r.live())).toList()), o.rankBy(), o.tieTolerance());
        return new LiveReport.Run("java -jar bench/target/osprey-bench.jar live " + command, o.scale(),
                seeded.get(0), source, runs, comparison, loadBefore, loadAverage());
    }

    /** Every chosen strategy live on one seed's traffic, in the given order, each on a fresh pipeline. */
    private static LiveReport.SeedRun runSeed(Scenario seeded, Map<String, List<StageResult>> simulated,
            List<String> chosen, Map<String, String> schedulers, LiveOptions o, PrintStream log)
            throws IOException, InterruptedException {
        List<SimRequest> requests = WorkloadGenerator.generate(seeded.workload(), seeded.seed());
        LiveRun runner = new LiveRun(seeded, o.out(), o.drainTimeout(), o.eppSettings(), log);
        List<LiveVariant> live = new ArrayList<>();
        for (String name : chosen) {
            LiveRun.Result r = runner.run(name, schedulers.get(name), requests);
            List<StageResult> figures = ResultsAggregator.aggregate(seeded, r.records());
            live.add(new LiveVariant(name, schedulers.get(name), figures, r.errorsByReason(), r.startupMillis(),
                    r.maxSendLagMillis(), r.wallMillis()));
            log.printf("live %s, seed %d: done in %d s, errors %s%n", name, seeded.seed(), r.wallMillis() / 1000,
                    r.errorsByReason());
        }
        return new LiveReport.SeedRun(seeded.seed(), requests.size(), simulated, live,
                Ranking.compare(simulated, liveStages(live), o.rankBy(), o.tieTolerance()));
    }

    private static Map<String, List<StageResult>> liveStages(List<LiveVariant> live) {
        Map<String, List<StageResult>> out = new LinkedHashMap<>();
        live.forEach(v -> out.put(v.strategy(), v.stages()));
        return out;
    }

    /** Throw-away traffic (other prompts, the first stage's rate) through a throw-away pipeline, to warm the JIT. */
    private static void warmUp(Scenario scaled, LiveRun runner, LiveOptions o) throws IOException,
            InterruptedException {
        Stage first = scaled.workload().stages().get(0);
        Scenario.Workload w = scaled.workload();
        Scenario.Workload warm = new Scenario.Workload(w.arrivals(),
                List.of(new Stage(first.rate(), (double) o.warmup().toSeconds())), w.promptTokens(), w.outputTokens(),
                w.sharedPrefix(), w.lora(), w.criticality());
        runner.run("warm-up", SchedulerFactory.OSPREY_DEFAULT, WorkloadGenerator.generate(warm, scaled.seed() + 1));
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown". */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
