package dev.osprey.bench.live;

import dev.osprey.bench.sim.Scenario;
import dev.osprey.bench.sim.Scenario.Pool;
import dev.osprey.bench.sim.Scenario.SharedPrefix;
import dev.osprey.bench.sim.Scenario.Stage;
import dev.osprey.bench.sim.Scenario.StrategySpec;
import dev.osprey.bench.sim.Scenario.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a scenario is shrunk to run in real time on a small machine. Pure: {@link #apply} returns a new scenario and
 * leaves the input alone.
 *
 * <ul>
 *   <li>{@code stages}: which stages of the ladder to keep (0-based, in the given order; empty = all);</li>
 *   <li>{@code timeScale}: every kept stage's duration is multiplied by it;</li>
 *   <li>{@code poolScale}: servers are multiplied by it (rounded, at least 1), and arrival rates and shared-prefix
 *       groups by the <em>resulting</em> server ratio, so load per server and prefix working set per server's KV
 *       cache stay as in the scenario.</li>
 *   <li>{@code slowdown}: the simulated hardware runs that many times slower ({@code pool.slowdown}), arrival
 *       rates are divided and stage durations, the scrape interval and the SLO limits multiplied by it, so the
 *       pool queues exactly as in the scenario (the same requests, every engine latency × slowdown) while the
 *       machine moves {@code 1/slowdown} of the tokens per second through the pipeline.</li>
 * </ul>
 *
 * @param stages kept stage indices; empty keeps every stage
 * @param timeScale duration factor, in (0, 10]
 * @param poolScale server factor, in (0, 1]
 * @param slowdown hardware slowdown, in [1, 10]
 */
public record LiveScale(List<Integer> stages, double timeScale, double poolScale, double slowdown) {

    /** No slowdown. */
    public LiveScale(List<Integer> stages, double timeScale, double poolScale) {
        this(stages, timeScale, poolScale, 1.0);
    }

    public LiveScale {
        if (!(slowdown >= 1 && slowdown <= 10)) {
            throw new IllegalArgumentException("--slowdown must be in [1, 10], got " + slowdown);
        }
        stages = List.copyOf(stages);
        if (!(timeScale > 0 && timeScale <= 10)) {
            throw new IllegalArgumentException("--time-scale must be in (0, 10], got " + timeScale);
        }
        if (!(poolScale > 0 && poolScale <= 1)) {
            throw new IllegalArgumentException("--pool-scale must be in (0, 1], got " + poolScale);
        }
        for (int s : stages) {
            if (s < 0) {
                throw new IllegalArgumentException("--stages: stage indices start at 0, got " + s);
            }
        }
    }

    /** Every stage, a quarter of each duration, the whole pool. */
    public static LiveScale defaults() {
        return new LiveScale(List.of(), 0.25, 1.0);
    }

    /**
     * The scaled scenario: kept stages, scaled durations, servers, rates and groups; the name gets {@code -live};
     * strategy config files become absolute paths (resolved against {@code scenarioDir}) so the scaled scenario
     * can be written elsewhere. Every pipeline delay but the first is dropped (the live pipeline has its own).
     *
     * @throws IllegalArgumentException when a kept stage index is beyond the ladder
     */
    public Scenario apply(Scenario s, Path scenarioDir) {
        List<Stage> ladder = s.workload().stages();
        List<Integer> kept = stages.isEmpty()
                ? java.util.stream.IntStream.range(0, ladder.size()).boxed().toList() : stages;
        int servers = servers(s.pool().servers());
        double ratio = (double) servers / s.pool().servers();
        List<Stage> scaled = new ArrayList<>();
        for (int i : kept) {
            if (i >= ladder.size()) {
                throw new IllegalArgumentException("--stages: scenario " + s.name() + " has stages 0.."
                        + (ladder.size() - 1) + ", got " + i);
            }
            Stage st = ladder.get(i);
            scaled.add(new Stage(st.rate() * ratio / slowdown, st.durationS() * timeScale * slowdown));
        }
        Workload w = s.workload();
        SharedPrefix shared = w.sharedPrefix() == null ? null : new SharedPrefix(
                Math.max(1, (int) Math.round(w.sharedPrefix().groups() * ratio)), w.sharedPrefix().prefixTokens(),
                w.sharedPrefix().usersPerGroup());
        Workload workload = new Workload(w.arrivals(), List.copyOf(scaled), w.promptTokens(), w.outputTokens(), shared,
                w.lora(), w.criticality());
        Pool p = s.pool();
        Pool pool = new Pool(servers, p.profile(), p.maxLoras(), p.loraLoadMs(), p.kvBlocks(), p.maxNumSeqs(),
                p.maxNumBatchedTokens(), p.slowdown() * slowdown);
        Scenario.Pipeline pipeline = new Scenario.Pipeline(
                (int) Math.round(s.pipeline().scrapeIntervalMs() * slowdown), List.of(s.pipeline().delaysMs().get(0)),
                List.of(1), s.pipeline().sharedStateDelayMs());
        List<StrategySpec> strategies = s.strategies().stream().map(spec -> spec.config() == null ? spec
                : new StrategySpec(spec.name(), scenarioDir.resolve(spec.config()).toAbsolutePath().toString()))
                .toList();
        return new Scenario(s.name() + "-live", s.seed(), pool, pipeline, workload, slo(s.slo()), strategies);
    }

    private Scenario.Slo slo(Scenario.Slo slo) {
        return slo == null ? null : new Scenario.Slo(times(slo.ttftMs()), times(slo.tpotMs()), times(slo.e2eMs()));
    }

    private Double times(Double limit) {
        return limit == null ? null : limit * slowdown;
    }

    /** Servers after scaling: {@code round(servers × poolScale)}, at least 1. */
    public int servers(int scenarioServers) {
        return Math.max(1, (int) Math.round(scenarioServers * poolScale));
    }

    /** One line for reports, e.g. {@code stages [1, 2, 3], durations × 0.5, pool × 0.5}. */
    public String describe() {
        return String.format(Locale.ROOT, "stages %s, durations × %s, pool × %s (rates and prefix groups × the "
                + "same server ratio)%s", stages.isEmpty() ? "all" : stages.stream().map(String::valueOf)
                        .collect(Collectors.joining(", ", "[", "]")), trim(timeScale), trim(poolScale),
                slowdown == 1 ? "" : ", hardware " + trim(slowdown) + "× slower (rates ÷ " + trim(slowdown)
                        + ", durations, scrape interval and SLO × " + trim(slowdown) + ")");
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
