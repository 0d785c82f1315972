package dev.osprey.bench;

import dev.osprey.bench.live.LiveCommand;
import dev.osprey.bench.sim.SimulateCommand;
import java.util.Arrays;

/** {@code java -jar bench/target/osprey-bench.jar COMMAND ...}. */
public final class Main {

    static final String USAGE = """
            Usage: java -jar bench/target/osprey-bench.jar COMMAND [options]

            Commands:
              simulate --scenario FILE.yaml --out DIR [--trace] [--seed N] [--strategies LIST]
                          routing quality in virtual time: every strategy of the scenario on the same
                          simulated pool and traffic; writes results.json, report.md, *.png to DIR
                          (format: docs/benchmarks/routing.md; examples: bench/scenarios/); --seed replaces
                          the scenario's seed, --strategies runs only the listed ones, --trace adds
                          per-request traces and tail.md
              live --scenario FILE.yaml --out DIR [--stages LIST] [--time-scale F] [--pool-scale F]
                          [--slowdown F] [--strategies LIST] [--sim-results FILE] [--rank-by M]
                          [--warmup-s N] [--drain-timeout-s N]
                          the same workload scaled down, in real time through the real pipeline (broker,
                          simulators, collector, aggregator, EPP, gateway), one fresh pipeline per strategy;
                          compares the ranking with the simulation's (docs/benchmarks/live.md;
                          `live --help` lists the options)
              help        print this text

            JMH micro-benchmarks: java -cp bench/target/osprey-bench.jar org.openjdk.jmh.Main [PATTERN]
              (ParserBenchmark, SchedulerPickBenchmark)
            Load drivers (plain main classes, loopback only, bounded in time):
              java -cp bench/target/osprey-bench.jar dev.osprey.bench.collector.CollectorLoadRun --help
              java -cp bench/target/osprey-bench.jar dev.osprey.bench.extproc.ExtProcLatencyBench RATE SECONDS KB
              java -cp bench/target/osprey-bench.jar dev.osprey.bench.extproc.PromptParseBench
            Pipeline freshness: java -cp all-in-one/target/osprey-all-in-one.jar dev.osprey.allinone.FreshnessProbe
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("simulate")) {
            return SimulateCommand.run(rest, System.out, System.err);
        }
        if (args[0].equals("live")) {
            return LiveCommand.run(rest, System.out, System.err);
        }
        System.err.println("error: unknown command " + args[0]);
        System.err.print(USAGE);
        return 2;
    }
}
