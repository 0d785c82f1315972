package dev.osprey.bench.sim;

import dev.osprey.bench.sim.Scenario.CriticalityMix;
import dev.osprey.bench.sim.Scenario.Length;
import dev.osprey.bench.sim.Scenario.Lora;
import dev.osprey.bench.sim.Scenario.Pipeline;
import dev.osprey.bench.sim.Scenario.Pool;
import dev.osprey.bench.sim.Scenario.SharedPrefix;
import dev.osprey.bench.sim.Scenario.Slo;
import dev.osprey.bench.sim.Scenario.Stage;
import dev.osprey.bench.sim.Scenario.StrategySpec;
import dev.osprey.bench.sim.Scenario.Workload;
import dev.osprey.sim.engine.LatencyProfile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Fills a scenario's defaults and checks every value; the first bad field fails with its path in the message. */
final class ScenarioValidator {

    private ScenarioValidator() {
    }

    static Scenario validate(Scenario s, String defaultName) {
        String name = s.name() == null || s.name().isBlank() ? defaultName : s.name();
        long seed = s.seed() == null ? 42L : s.seed();
        Pool pool = pool(require(s.pool(), "pool"));
        Pipeline pipeline = pipeline(s.pipeline());
        Workload workload = workload(require(s.workload(), "workload"));
        Slo slo = slo(s.slo());
        List<StrategySpec> strategies = strategies(require(s.strategies(), "strategies"));
        return new Scenario(name, seed, pool, pipeline, workload, slo, strategies);
    }

    private static Pool pool(Pool p) {
        int servers = positive(require(p.servers(), "pool.servers"), "pool.servers");
        String profileName = p.profile() == null ? "h100-8b" : p.profile();
        LatencyProfile profile = LatencyProfile.byName(profileName).orElseThrow(() -> new ScenarioException(
                "pool.profile: unknown profile '" + profileName + "' (test, h100-8b, h100x8-70b, l40s-3b)"));
        int maxLoras = positive(orDefault(p.maxLoras(), 4), "pool.maxLoras");
        int loraLoadMs = atLeast(orDefault(p.loraLoadMs(), 5), 0, "pool.loraLoadMs");
        int kv = positive(orDefault(p.kvBlocks(), profile.numGpuBlocks()), "pool.kvBlocks");
        int seqs = positive(orDefault(p.maxNumSeqs(), profile.maxNumSeqs()), "pool.maxNumSeqs");
        int batched = positive(orDefault(p.maxNumBatchedTokens(), profile.maxNumBatchedTokens()),
                "pool.maxNumBatchedTokens");
        double slowdown = positive(orDefault(p.slowdown(), 1.0), "pool.slowdown");
        return new Pool(servers, profileName, maxLoras, loraLoadMs, kv, seqs, batched, slowdown);
    }

    /** Most picker replicas a variant may simulate. */
    static final int MAX_REPLICAS = 16;

    private static Pipeline pipeline(Pipeline p) {
        Pipeline q = p == null ? new Pipeline(null, null, null, null) : p;
        int interval = positive(orDefault(q.scrapeIntervalMs(), 50), "pipeline.scrapeIntervalMs");
        List<Integer> delays = q.delaysMs() == null || q.delaysMs().isEmpty() ? List.of(0) : q.delaysMs();
        for (int i = 0; i < delays.size(); i++) {
            atLeast(require(delays.get(i), "pipeline.delaysMs[" + i + "]"), 0, "pipeline.delaysMs[" + i + "]");
        }
        if (new HashSet<>(delays).size() != delays.size()) {
            throw new ScenarioException("pipeline.delaysMs: duplicate delay in " + delays);
        }
        List<Integer> replicas = q.eppReplicas() == null || q.eppReplicas().isEmpty() ? List.of(1) : q.eppReplicas();
        for (int i = 0; i < replicas.size(); i++) {
            String field = "pipeline.eppReplicas[" + i + "]";
            int n = positive(require(replicas.get(i), field), field);
            if (n > MAX_REPLICAS) {
                throw new ScenarioException(field + ": at most " + MAX_REPLICAS + ", got " + n);
            }
        }
        if (new HashSet<>(replicas).size() != replicas.size()) {
            throw new ScenarioException("pipeline.eppReplicas: duplicate count in " + replicas);
        }
        int shared = atLeast(orDefault(q.sharedStateDelayMs(), 50), 0, "pipeline.sharedStateDelayMs");
        return new Pipeline(interval, List.copyOf(delays), List.copyOf(replicas), shared);
    }

    private static Workload workload(Workload w) {
        String arrivals = w.arrivals() == null ? "poisson" : w.arrivals();
        if (!arrivals.equals("poisson") && !arrivals.equals("constant")) {
            throw new ScenarioException("workload.arrivals: must be poisson or constant, got '" + arrivals + "'");
        }
        List<Stage> stages = require(w.stages(), "workload.stages");
        if (stages.isEmpty()) {
            throw new ScenarioException("workload.stages: at least one stage is needed");
        }
        List<Stage> checked = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            String at = "workload.stages[" + i + "]";
            Stage st = require(stages.get(i), at);
            double rate = positive(require(st.rate(), at + ".rate"), at + ".rate");
            double duration = positive(require(st.durationS(), at + ".durationS"), at + ".durationS");
            checked.add(new Stage(rate, duration));
        }
        Length prompt = length(require(w.promptTokens(), "workload.promptTokens"), "workload.promptTokens");
        Length output = length(require(w.outputTokens(), "workload.outputTokens"), "workload.outputTokens");
        SharedPrefix shared = w.sharedPrefix() == null ? null : sharedPrefix(w.sharedPrefix());
        Lora lora = w.lora() == null ? null : lora(w.lora());
        CriticalityMix mix = criticality(w.criticality());
        return new Workload(arrivals, List.copyOf(checked), prompt, output, shared, lora, mix);
    }

    private static Length length(Length l, String at) {
        String dist = require(l.dist(), at + ".dist");
        int min = atLeast(orDefault(l.min(), 1), 1, at + ".min");
        int max = atLeast(orDefault(l.max(), 8192), min, at + ".max");
        switch (dist) {
            case "constant", "normal", "lognormal" -> {
                double mean = positive(require(l.mean(), at + ".mean"), at + ".mean");
                double sd = dist.equals("constant") ? 0.0
                        : atLeast(require(l.stddev(), at + ".stddev"), 0.0, at + ".stddev");
                return new Length(dist, mean, sd, min, max);
            }
            case "uniform" -> {
                return new Length(dist, (min + max) / 2.0, 0.0, min, max);
            }
            default -> throw new ScenarioException(
                    at + ".dist: must be constant, uniform, normal or lognormal, got '" + dist + "'");
        }
    }

    private static SharedPrefix sharedPrefix(SharedPrefix p) {
        String at = "workload.sharedPrefix";
        return new SharedPrefix(positive(require(p.groups(), at + ".groups"), at + ".groups"),
                positive(require(p.prefixTokens(), at + ".prefixTokens"), at + ".prefixTokens"),
                positive(orDefault(p.usersPerGroup(), 1), at + ".usersPerGroup"));
    }

    private static Lora lora(Lora l) {
        String at = "workload.lora";
        int adapters = positive(require(l.adapters(), at + ".adapters"), at + ".adapters");
        double zipf = atLeast(l.zipf() == null ? 1.0 : l.zipf(), 0.0, at + ".zipf");
        double base = l.baseFraction() == null ? 0.0 : l.baseFraction();
        if (base < 0 || base > 1) {
            throw new ScenarioException(at + ".baseFraction: must be between 0 and 1, got " + base);
        }
        return new Lora(adapters, zipf, base);
    }

    private static CriticalityMix criticality(CriticalityMix m) {
        if (m == null) {
            return new CriticalityMix(0.0, 1.0, 0.0);
        }
        String at = "workload.criticality";
        double c = atLeast(m.critical() == null ? 0.0 : m.critical(), 0.0, at + ".critical");
        double s = atLeast(m.standard() == null ? 0.0 : m.standard(), 0.0, at + ".standard");
        double h = atLeast(m.sheddable() == null ? 0.0 : m.sheddable(), 0.0, at + ".sheddable");
        if (c + s + h <= 0) {
            throw new ScenarioException(at + ": at least one share must be positive");
        }
        return new CriticalityMix(c, s, h);
    }

    private static Slo slo(Slo s) {
        if (s == null) {
            return new Slo(null, null, null);
        }
        if (s.ttftMs() != null) {
            positive(s.ttftMs(), "slo.ttftMs");
        }
        if (s.tpotMs() != null) {
            positive(s.tpotMs(), "slo.tpotMs");
        }
        if (s.e2eMs() != null) {
            positive(s.e2eMs(), "slo.e2eMs");
        }
        return s;
    }

    private static List<StrategySpec> strategies(List<StrategySpec> list) {
        if (list.isEmpty()) {
            throw new ScenarioException("strategies: at least one strategy is needed");
        }
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "strategies[" + i + "]";
            StrategySpec spec = require(list.get(i), at);
            String name = require(spec.name(), at + ".name");
            if (spec.config() == null && !Strategies.isBuiltIn(name)) {
                throw new ScenarioException(at + ".name: unknown strategy '" + name + "' (built-in: "
                        + String.join(", ", Strategies.builtInNames()) + ")");
            }
            if (!labels.add(name)) {
                throw new ScenarioException(at + ".name: duplicate strategy '" + name + "'");
            }
        }
        return List.copyOf(list);
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw new ScenarioException(field + ": required");
        }
        return value;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static int positive(int v, String field) {
        if (v <= 0) {
            throw new ScenarioException(field + ": must be positive, got " + v);
        }
        return v;
    }

    private static double positive(double v, String field) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ScenarioException(field + ": must be positive, got " + v);
        }
        return v;
    }

    private static int atLeast(int v, int min, String field) {
        if (v < min) {
            throw new ScenarioException(field + ": must be at least " + min + ", got " + v);
        }
        return v;
    }

    private static double atLeast(double v, double min, String field) {
        if (!(v >= min) || Double.isInfinite(v)) {
            throw new ScenarioException(field + ": must be at least " + min + ", got " + v);
        }
        return v;
    }
}
