package dev.osprey.aggregator.launch;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The command line of {@link Main}.
 *
 * @param configFile properties file with {@code osprey.aggregator.*} keys
 * @param operationsPort port of {@code /metrics} and {@code /healthz}; 0 picks a free port, -1 serves neither
 */
public record LaunchArguments(Optional<Path> configFile, int operationsPort) {

    /** Where {@code /metrics} and {@code /healthz} are served unless {@code --metrics-port} says otherwise. */
    public static final int DEFAULT_OPERATIONS_PORT = 9092;

    /** The usage line printed with a bad command line. */
    public static final String USAGE = "usage: aggregator [--config FILE.properties] [--metrics-port PORT (default "
            + DEFAULT_OPERATIONS_PORT + "; -1: none)]";

    public LaunchArguments {
        if (operationsPort < -1 || operationsPort > 65535) {
            throw new IllegalArgumentException("--metrics-port: must be -1 (none), 0 (any free port) or a port up to"
                    + " 65535, got " + operationsPort);
        }
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the flag at fault
     */
    public static LaunchArguments parse(String... args) {
        Optional<Path> config = Optional.empty();
        int port = DEFAULT_OPERATIONS_PORT;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length && (flag.equals("--config") || flag.equals("--metrics-port"))) {
                throw new IllegalArgumentException(flag + ": missing value; " + USAGE);
            }
            switch (flag) {
                case "--config" -> config = Optional.of(Path.of(args[++i]));
                case "--metrics-port" -> port = port(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + flag + "; " + USAGE);
            }
        }
        return new LaunchArguments(config, port);
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics-port: not a number: '" + text + "'", e);
        }
    }
}
