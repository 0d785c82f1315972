package dev.osprey.bench.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code live} command line, parsed and validated.
 *
 * @param scenario the scenario file
 * @param out the output directory
 * @param scale how the scenario is shrunk
 * @param strategies strategies to run live; empty = Osprey's default, upstream's default and the best other one
 *     in the simulation of the scaled workload
 * @param simResults a {@code results.json} of {@code simulate} for the same scaled workload, instead of
 *     simulating it here
 * @param rankBy the figure strategies are ranked by
 * @param tieTolerance simulated scores closer than this fraction are a tie the comparison does not judge
 * @param warmup seconds of throw-away traffic through a throw-away pipeline before the first measured run (JIT)
 * @param drainTimeout how long a run waits for open streams after its last arrival
 * @param eppSettings further EPP settings for every live pipeline (the all-in-one's {@code --epp})
 * @param seeds traffic seeds, each simulated and run live for every strategy and ranked over all of them
 *     together; empty = the scenario's seed
 */
record LiveOptions(Path scenario, Path out, LiveScale scale, List<String> strategies, Optional<Path> simResults,
        Ranking.Metric rankBy, double tieTolerance, Duration warmup, Duration drainTimeout,
        Map<String, String> eppSettings, List<Long> seeds) {

    static final String USAGE = """
            live --scenario FILE.yaml --out DIR [options]
                          the scenario's workload, scaled down, in real time through the real pipeline (embedded
                          broker, simulators, collector, aggregator, EPP, local gateway), once per strategy on a
                          fresh pipeline; simulates the same scaled workload and compares the rankings;
                          writes results.json, report.md, scenario-scaled.yaml to DIR (docs/benchmarks/live.md)
                --stages LIST       stage indices to keep, e.g. 1,2,3 (default: all)
                --time-scale F      stage durations × F (default 0.25)
                --pool-scale F      servers × F; rates and prefix groups follow the server ratio (default 1)
                --slowdown F        simulated hardware F× slower, rates ÷ F, durations, scrape interval and SLO
                                    × F: the same queueing at 1/F of the load on this machine (default 1)
                --strategies LIST   strategies to run live (default: osprey-default, upstream-default and the
                                    best other strategy of the simulation)
                --seeds LIST        traffic seeds, e.g. 1,2,3,4,5,6: every strategy runs once per seed and is
                                    ranked over all seeds' stages together (default: the scenario's seed)
                --sim-results FILE  results.json of `simulate` on the scaled scenario instead of simulating here
                                    (one seed only)
                --rank-by M         ttft-p90 (default), ttft-p99 or e2e-p90: geometric mean over the stages
                --tie-tolerance F   simulated scores within this fraction are a tie (default 0.1)
                --warmup-s N        seconds of throw-away warm-up traffic before the first run (default 60; 0 = none)
                --drain-timeout-s N wait for open streams after the last arrival (default 120)
                --epp KEY=VALUE     a further EPP setting for every live pipeline (docs/configuration.md);
                                    repeatable
            """;

    /** A parse result: options, or a message naming the bad flag. */
    sealed interface Parsed permits Ok, Invalid { }

    record Ok(LiveOptions options) implements Parsed { }

    record Invalid(String message) implements Parsed { }

    static Parsed parse(String[] args) {
        Path scenario = null;
        Path out = null;
        List<Integer> stages = List.of();
        double timeScale = LiveScale.defaults().timeScale();
        double poolScale = LiveScale.defaults().poolScale();
        double slowdown = LiveScale.defaults().slowdown();
        List<String> strategies = List.of();
        Optional<Path> simResults = Optional.empty();
        Ranking.Metric rankBy = Ranking.Metric.TTFT_P90;
        double tieTolerance = 0.1;
        int warmup = 60;
        int drain = 120;
        Map<String, String> epp = new LinkedHashMap<>();
        List<Long> seeds = List.of();
        try {
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    return new Invalid(flag.startsWith("--") ? flag + " needs a value" : "unknown argument: " + flag);
                }
                String v = args[++i];
                switch (flag) {
                    case "--scenario" -> scenario = readable(flag, v);
                    case "--out" -> out = Path.of(v);
                    case "--stages" -> stages = integers(flag, v);
                    case "--time-scale" -> timeScale = decimal(flag, v);
                    case "--pool-scale" -> poolScale = decimal(flag, v);
                    case "--slowdown" -> slowdown = decimal(flag, v);
                    case "--strategies" -> strategies = names(v);
                    case "--seeds" -> seeds = seeds(v);
                    case "--sim-results" -> simResults = Optional.of(readable(flag, v));
                    case "--rank-by" -> rankBy = Ranking.Metric.parse(v);
                    case "--tie-tolerance" -> tieTolerance = fraction(flag, decimal(flag, v));
                    case "--warmup-s" -> warmup = atLeast(flag, integer(flag, v), 0);
                    case "--drain-timeout-s" -> drain = atLeast(flag, integer(flag, v), 1);
                    case "--epp" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            return new Invalid("--epp must be KEY=VALUE, got " + v);
                        }
                        epp.put(v.substring(0, eq).trim(), v.substring(eq + 1).trim());
                    }
                    default -> {
                        return new Invalid("unknown option: " + flag);
                    }
                }
            }
            if (scenario == null || out == null) {
                return new Invalid("live needs --scenario FILE and --out DIR");
            }
            if (simResults.isPresent() && seeds.size() > 1) {
                return new Invalid("--sim-results holds one seed's simulation; it cannot be used with several --seeds");
            }
            return new Ok(new LiveOptions(scenario, out, new LiveScale(stages, timeScale, poolScale, slowdown),
                    strategies, simResults, rankBy, tieTolerance, Duration.ofSeconds(warmup),
                    Duration.ofSeconds(drain), Map.copyOf(epp), seeds));
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
    }

    private static Path readable(String flag, String v) {
        Path p = Path.of(v);
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(flag + ": cannot read " + v);
        }
        return p;
    }

    private static List<String> names(String v) {
        List<String> list = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("--strategies: at least one name is needed");
        }
        return list;
    }

    private static List<Long> seeds(String v) {
        List<Long> out = new ArrayList<>();
        for (String part : v.split(",")) {
            try {
                long seed = Long.parseLong(part.trim());
                if (out.contains(seed)) {
                    throw new IllegalArgumentException("--seeds lists " + seed + " twice");
                }
                out.add(seed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds must be whole numbers separated by commas, got " + v, e);
            }
        }
        return List.copyOf(out);
    }

    private static List<Integer> integers(String flag, String v) {
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(",")) {
            out.add(integer(flag, part.trim()));
        }
        return List.copyOf(out);
    }

    private static int integer(String flag, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, got " + v, e);
        }
    }

    private static double decimal(String flag, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got " + v, e);
        }
    }

    private static double fraction(String flag, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(flag + " must be in [0, 1), got " + v);
        }
        return v;
    }

    private static int atLeast(String flag, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException(flag + " must be " + min + " or more, got " + v);
        }
        return v;
    }
}
