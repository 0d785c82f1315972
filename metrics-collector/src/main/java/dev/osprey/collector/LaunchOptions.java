package dev.osprey.collector;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The command line of {@link Main}: where endpoints come from ({@code --resources FILE} or
 * {@code --kubernetes [--namespace NS]}) and an optional {@code --config file.properties}.
 *
 * @param resources  resource YAML to read endpoints from (watched for changes)
 * @param kubernetes whether to discover endpoints in the cluster
 * @param namespace  the namespace to watch with {@code --kubernetes}; empty for all
 * @param configFile properties file with {@code osprey.collector.*} keys
 */
public record LaunchOptions(Optional<Path> resources, boolean kubernetes, Optional<String> namespace,
        Optional<Path> configFile) {

    /** The usage line printed on a bad command line. */
    public static final String USAGE = "usage: collector (--resources FILE | --kubernetes [--namespace NS])"
            + " [--config FILE.properties]";

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the problem (unknown flag, missing value, both or neither source)
     */
    public static LaunchOptions parse(String... args) {
        Optional<Path> resources = Optional.empty();
        Optional<String> namespace = Optional.empty();
        Optional<Path> config = Optional.empty();
        boolean kubernetes = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--resources" -> resources = Optional.of(Path.of(value(args, ++i, arg)));
                case "--kubernetes" -> kubernetes = true;
                case "--namespace" -> namespace = Optional.of(value(args, ++i, arg));
                case "--config" -> config = Optional.of(Path.of(value(args, ++i, arg)));
                default -> throw new IllegalArgumentException("unknown argument " + arg + "; " + USAGE);
            }
        }
        if (resources.isPresent() == kubernetes) {
            throw new IllegalArgumentException("give exactly one of --resources and --kubernetes; " + USAGE);
        }
        if (namespace.isPresent() && !kubernetes) {
            throw new IllegalArgumentException("--namespace needs --kubernetes; " + USAGE);
        }
        return new LaunchOptions(resources, kubernetes, namespace, config);
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value; " + USAGE);
        }
        return args[index];
    }
}
