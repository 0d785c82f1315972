package dev.osprey.bench;

/** {@code java -jar bench/target/osprey-bench.jar COMMAND ...}; the commands arrive with the benchmark issues. */
public final class Main {

    static final String USAGE = """
            Usage: java -jar bench/target/osprey-bench.jar COMMAND [options]

            Commands:
              help        print this text

            JMH micro-benchmarks: java -cp bench/target/osprey-bench.jar org.openjdk.jmh.Main [PATTERN]
            """;

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        System.err.println("error: unknown command " + args[0]);
        System.err.print(USAGE);
        System.exit(2);
    }
}
