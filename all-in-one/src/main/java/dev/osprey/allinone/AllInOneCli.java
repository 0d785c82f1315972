package dev.osprey.allinone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Parses the all-in-one command line into a typed result; never exits the JVM itself. */
final class AllInOneCli {

    sealed interface Parsed permits Run, Help, Invalid { }

    record Run(AllInOneConfig config) implements Parsed { }

    record Help() implements Parsed { }

    record Invalid(String message) implements Parsed { }

    static final String USAGE = """
            Usage: java -jar all-in-one/target/osprey-all-in-one.jar [options]

            Runs Osprey in one JVM: an embedded Kafka (KRaft) broker, a schema registry, model-server simulators,
            the metrics collector, the state aggregator, the EPP (ext-proc) and a local gateway that calls the EPP
            over ext-proc exactly as Envoy does.

            Options:
              --simulators N        model-server simulators to start (default 4; 0 = only pods in the file)
              --resources FILE      resource YAML: InferencePool, InferenceModel, Pod documents
                                    (default: the bundled file with one pool and one model)
              --pool NS/NAME        the pool to serve (default: the file's first InferencePool)
              --cluster NAME        cluster name in pool and endpoint ids (default local)
              --gateway-port P      local gateway HTTP port (default 8080)
              --gateway-threads N   requests the gateway handles at once; more wait in its accept queue
                                    (default 64)
              --grpc-port P         EPP ext-proc gRPC port (default 9002)
              --health-port P       EPP gRPC health port (default 9003)
              --metrics-port P      Prometheus /metrics port (default 9090; -1 disables)
              --registry-port P     schema registry REST port (default 8081)
              --sim-address A       first loopback address for simulators (default 127.0.0.11)
              --sim-profile NAME    simulator engine profile: test, h100-8b, h100x8-70b, l40s-3b (default test)
              --sim-kv-blocks N     KV-cache blocks (16 tokens each) per simulator (default 0 = the profile's)
              --sim-max-loras N     LoRA adapters resident at once per simulator (default 4)
              --sim-lora-adapters L comma-separated LoRA adapters every simulator serves (default none)
              --sim-lora-load-ms N  time to load an adapter into a slot (default 5)
              --sim-max-model-len N longest prompt + max_tokens a simulator accepts (default 8192)
              --sim-slowdown F      every simulator time (steps, overhead, adapter loads) × F, as on hardware
                                    F times slower, in [1, 100] (default 1)
              --scheduler S         EPP scheduler: a built-in name (osprey-default, upstream-default,
                                    sticky-until-saturated, legacy-decision-tree, random, round-robin,
                                    least-request-p2c) or an upstream EndpointPickerConfig file
                                    (default osprey-default)
              --scrape-interval-ms N  collector scrape interval per endpoint (default 50)
              --epp KEY=VALUE       a further EPP setting (osprey.epp.* below); repeatable
              --help                print this text
            """;

    private AllInOneCli() {
    }

    static Parsed parse(String[] args) {
        AllInOneConfig d = AllInOneConfig.defaults();
        int simulators = d.simulators();
        Optional<Path> resources = Optional.empty();
        Optional<String> pool = Optional.empty();
        String cluster = d.cluster();
        int gateway = d.gatewayPort();
        int grpc = d.grpcPort();
        int health = d.healthPort();
        int metrics = d.metricsPort();
        int registry = d.registryPort();
        SimulatorSettings sim = d.simulatorSettings();
        String scheduler = d.scheduler();
        Duration scrapeInterval = d.scrapeInterval();
        int gatewayThreads = d.gatewayThreads();
        Map<String, String> epp = new LinkedHashMap<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    return new Help();
                }
                if (i + 1 >= args.length) {
                    return new Invalid(flag.startsWith("--") ? flag + " needs a value" : "unknown argument: " + flag);
                }
                String value = args[++i];
                switch (flag) {
                    case "--simulators" -> simulators = integer(flag, value);
                    case "--resources" -> {
                        Path file = Path.of(value);
                        if (!Files.isReadable(file)) {
                            return new Invalid("--resources: cannot read " + value);
                        }
                        resources = Optional.of(file);
                    }
                    case "--pool" -> {
                        if (!value.matches("[^/]+/[^/]+")) {
                            return new Invalid("--pool must be NAMESPACE/NAME, got " + value);
                        }
                        pool = Optional.of(value);
                    }
                    case "--cluster" -> cluster = value;
                    case "--gateway-port" -> gateway = integer(flag, value);
                    case "--grpc-port" -> grpc = integer(flag, value);
                    case "--health-port" -> health = integer(flag, value);
                    case "--metrics-port" -> metrics = integer(flag, value);
                    case "--registry-port" -> registry = integer(flag, value);
                    case "--sim-address" -> sim = sim.withAddressBase(value);
                    case "--sim-profile" -> sim = sim.withProfile(value);
                    case "--sim-kv-blocks" -> sim = sim.withKvBlocks(integer(flag, value));
                    case "--sim-max-loras" -> sim = sim.withMaxLoras(integer(flag, value));
                    case "--sim-lora-adapters" -> sim = sim.withLoraAdapters(list(value));
                    case "--sim-lora-load-ms" -> sim = sim.withLoraLoadTime(Duration.ofMillis(integer(flag, value)));
                    case "--sim-max-model-len" -> sim = sim.withMaxModelLen(integer(flag, value));
                    case "--sim-slowdown" -> sim = sim.withSlowdown(decimal(flag, value));
                    case "--gateway-threads" -> gatewayThreads = integer(flag, value);
                    case "--scheduler" -> scheduler = value;
                    case "--epp" -> {
                        int eq = value.indexOf('=');
                        if (eq <= 0) {
                            return new Invalid("--epp must be KEY=VALUE, got " + value);
                        }
                        epp.put(value.substring(0, eq).trim(), value.substring(eq + 1).trim());
                    }
                    case "--scrape-interval-ms" -> scrapeInterval = Duration.ofMillis(integer(flag, value));
                    default -> {
                        return new Invalid("unknown option: " + flag);
                    }
                }
            }
            return new Run(new AllInOneConfig(simulators, resources, pool, cluster, gateway, grpc, health, metrics,
                    registry, sim, scheduler, scrapeInterval, gatewayThreads, epp));
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static double decimal(String flag, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got " + value, e);
        }
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, got " + value, e);
        }
    }
}
