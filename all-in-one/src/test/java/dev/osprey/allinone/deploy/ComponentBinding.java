package dev.osprey.allinone.deploy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.launch.ConfigurationSources;
import dev.osprey.aggregator.launch.LaunchArguments;
import dev.osprey.collector.CollectorConfig;
import dev.osprey.collector.EnvironmentBinding;
import dev.osprey.collector.LaunchOptions;
import dev.osprey.epp.EppConfig;
import dev.osprey.epp.launch.UpstreamFlags;

/**
 * What a container of the manifests configures, read by the component's own command-line and environment binding
 * (the code its {@code main} runs before starting), so that an unknown or misspelt {@code OSPREY_*} variable or flag
 * fails exactly as the process would at start-up.
 *
 * @param module     the Maven module, also the image name
 * @param ports      every port the process listens on
 * @param kubernetes the namespace the process watches through the Kubernetes API; empty when it does not
 * @param shared     the settings every Osprey process must agree on; empty for a model server
 * @param shutdown   how long a graceful stop may take
 * @param config     the component's parsed configuration (EppConfig, CollectorConfig, AggregatorConfig), or the
 *                   launch arguments of a process without one
 */
record ComponentBinding(String module, List<Integer> ports, Optional<String> kubernetes, Optional<Shared> shared,
        Duration shutdown, Object config) {

    /** Settings that must be equal in every Osprey process (pool and endpoint ids, topics, schemas). */
    record Shared(String cluster, String bootstrapServers, String schemaRegistryUrl, String topicPrefix) {
    }

    /** The aggregator's command line and configuration together. */
    record Aggregator(LaunchArguments arguments, AggregatorConfig config) {
    }

    /** The collector's command line and configuration together. */
    record Collector(LaunchOptions options, CollectorConfig config) {
    }

    /** A process without Osprey configuration (the model-server simulator): its arguments only. */
    record Plain(List<String> arguments) {
    }

    /** The main classes the manifests may start, and the module (image) each belongs to. */
    static final Map<String, String> MODULES = Map.of(
            "dev.osprey.epp.launch.Main", "epp-frontend",
            "dev.osprey.collector.Main", "metrics-collector",
            "dev.osprey.aggregator.launch.Main", "state-aggregator",
            "dev.osprey.sim.Main", "model-server-sim");

    /**
     * Binds {@code launch} with its component's real parser.
     *
     * @throws IllegalArgumentException as the component's start-up would (naming the variable, flag or key)
     * @throws AssertionError           for a main class the manifests should not start
     */
    static ComponentBinding of(ContainerLaunch launch) {
        Map<String, String> env = launch.environment();
        List<String> args = launch.arguments();
        return switch (launch.mainClass()) {
            case "dev.osprey.epp.launch.Main" -> {
                UpstreamFlags flags = UpstreamFlags.parse(args, env);
                EppConfig c = dev.osprey.epp.launch.Main.configuration(flags, env);
                List<Integer> ports = new ArrayList<>(List.of(c.grpcPort(), c.healthPort()));
                if (c.metricsPort() >= 0) {
                    ports.add(c.metricsPort());
                }
                Optional<String> namespace = flags.resources().isPresent() ? Optional.empty()
                        : Optional.of(c.poolNamespace());
                yield new ComponentBinding("epp-frontend", ports, namespace, Optional.of(new Shared(c.cluster(),
                        c.bootstrapServers(), c.schemaRegistryUrl(), c.topicPrefix())), c.shutdownGrace(), c);
            }
            case "dev.osprey.collector.Main" -> {
                LaunchOptions options = LaunchOptions.parse(args.toArray(String[]::new));
                if (options.configFile().isPresent()) {
                    throw new AssertionError("--config files are not checked; set OSPREY_COLLECTOR_* variables");
                }
                CollectorConfig c = CollectorConfig.fromMap(EnvironmentBinding.keysOf(env));
                List<Integer> ports = c.metricsPort() >= 0 ? List.of(c.metricsPort()) : List.of();
                Optional<String> namespace = options.kubernetes()
                        ? Optional.of(options.namespace().orElse("*")) : Optional.empty();
                yield new ComponentBinding("metrics-collector", ports, namespace, Optional.of(new Shared(c.cluster(),
                        c.bootstrapServers(), c.schemaRegistryUrl(), c.topicPrefix())), c.closeTimeout(),
                        new Collector(options, c));
            }
            case "dev.osprey.aggregator.launch.Main" -> {
                LaunchArguments arguments = LaunchArguments.parse(args.toArray(String[]::new));
                if (arguments.configFile().isPresent()) {
                    throw new AssertionError("--config files are not checked; set OSPREY_AGGREGATOR_* variables");
                }
                AggregatorConfig c = ConfigurationSources.load(Optional.empty(), env);
                List<Integer> ports = new ArrayList<>();
                if (arguments.operationsPort() >= 0) {
                    ports.add(arguments.operationsPort());
                }
                if (!c.applicationServer().isBlank()) {
                    ports.add(URI.create("http://" + c.applicationServer()).getPort());
                }
                yield new ComponentBinding("state-aggregator", ports, Optional.empty(), Optional.of(new Shared(
                        c.cluster(), c.bootstrapServers(), c.schemaRegistryUrl(), c.topicPrefix())),
                        c.shutdownTimeout(), new Aggregator(arguments, c));
            }
            case "dev.osprey.sim.Main" -> new ComponentBinding("model-server-sim", List.of(simulatorPort(args)),
                    Optional.empty(), Optional.empty(), Duration.ZERO, new Plain(args));
            default -> throw new AssertionError("main class " + launch.mainClass() + " is none of " + MODULES.keySet());
        };
    }

    /** The simulator's {@code --port} (its parser is internal to its module; the flag is documented). */
    private static int simulatorPort(List<String> args) {
        int at = args.indexOf("--port");
        return at >= 0 && at + 1 < args.size() ? Integer.parseInt(args.get(at + 1)) : 8000;
    }
}
