package dev.osprey.allinone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.osprey.allinone.gateway.GatewayConfig;
import dev.osprey.epp.EppConfig;
import dev.osprey.epp.config.ConfigKey;
import dev.osprey.epp.scheduling.SchedulerFactory;
import dev.osprey.epp.scheduling.config.SchedulerConfigException;

/**
 * Settings of the all-in-one process. Ports of 0 pick free ones (tests); -1 disables the metrics endpoint. The
 * constructor validates every field; messages name the command-line flag.
 *
 * @param simulators how many model-server simulators to start (0 to route only to pods listed in the file)
 * @param resourceFile the resource YAML; empty for the bundled default
 * @param pool {@code namespace/name} of the pool to serve; empty for the file's first pool
 * @param simulatorSettings how every simulator is configured; each binds its own loopback address on the pool's
 *     first target port, so every simulator looks like a pod with its own IP
 * @param scheduler the EPP's scheduler: a built-in name of {@link SchedulerFactory#builtInNames()} or the path of
 *     an upstream EndpointPickerConfig file (the EPP's {@code osprey.epp.scheduler.config})
 * @param scrapeInterval how often the collector scrapes each endpoint ({@code osprey.collector.scrape.interval})
 * @param gatewayThreads requests the local gateway handles at once (each streams on its own thread)
 * @param eppSettings further EPP settings ({@code osprey.epp.*} key → value, docs/configuration.md), applied over
 *     the all-in-one's own; the keys the all-in-one sets itself (Kafka, registry, pool, ports, scheduler) are refused
 */
public record AllInOneConfig(int simulators, Optional<Path> resourceFile, Optional<String> pool, String cluster,
        int gatewayPort, int grpcPort, int healthPort, int metricsPort, int registryPort,
        SimulatorSettings simulatorSettings, String scheduler, Duration scrapeInterval, int gatewayThreads,
        Map<String, String> eppSettings) {

    public static final int DEFAULT_SIMULATORS = 4;
    public static final String DEFAULT_SCHEDULER = SchedulerFactory.OSPREY_DEFAULT;
    public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofMillis(50);

    public AllInOneConfig {
        Objects.requireNonNull(resourceFile, "resourceFile");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(simulatorSettings, "simulatorSettings");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(scrapeInterval, "scrapeInterval");
        if (simulators < 0 || simulators > 200) {
            throw new IllegalArgumentException("--simulators must be between 0 and 200, got " + simulators);
        }
        checkPort("--gateway-port", gatewayPort);
        checkPort("--grpc-port", grpcPort);
        checkPort("--health-port", healthPort);
        checkPort("--registry-port", registryPort);
        if (metricsPort != -1) {
            checkPort("--metrics-port", metricsPort);
        }
        checkScheduler(scheduler);
        if (scrapeInterval.isNegative() || scrapeInterval.isZero()) {
            throw new IllegalArgumentException("--scrape-interval-ms must be positive, got " + scrapeInterval.toMillis());
        }
        if (gatewayThreads < 1 || gatewayThreads > 10_000) {
            throw new IllegalArgumentException("--gateway-threads must be between 1 and 10000, got " + gatewayThreads);
        }
        eppSettings = Map.copyOf(eppSettings);
        checkEppSettings(eppSettings);
    }

    /**
     * The settings before simulator, scheduler and scrape options existed: {@code simulatorProfile} with the
     * profile's KV blocks, Osprey's default scheduler, 50 ms scrapes.
     */
    public AllInOneConfig(int simulators, Optional<Path> resourceFile, Optional<String> pool, String cluster,
            int gatewayPort, int grpcPort, int healthPort, int metricsPort, int registryPort,
            String simulatorAddressBase, String simulatorProfile) {
        this(simulators, resourceFile, pool, cluster, gatewayPort, grpcPort, healthPort, metricsPort, registryPort,
                SimulatorSettings.defaults().withAddressBase(simulatorAddressBase).withProfile(simulatorProfile),
                DEFAULT_SCHEDULER, DEFAULT_SCRAPE_INTERVAL, GatewayConfig.DEFAULT_WORKER_THREADS, Map.of());
    }

    /** The documented defaults: 4 simulators, gateway 8080, ext-proc 9002, health 9003, metrics 9090. */
    public static AllInOneConfig defaults() {
        return new AllInOneConfig(DEFAULT_SIMULATORS, Optional.empty(), Optional.empty(), "local", 8080, 9002, 9003,
                9090, 8081, SimulatorSettings.defaults(), DEFAULT_SCHEDULER, DEFAULT_SCRAPE_INTERVAL, GatewayConfig.DEFAULT_WORKER_THREADS, Map.of());
    }

    /** The first loopback address simulators bind. */
    public String simulatorAddressBase() {
        return simulatorSettings.addressBase();
    }

    /** The simulators' engine profile name. */
    public String simulatorProfile() {
        return simulatorSettings.profile();
    }

    /** Every port 0, for tests that run beside other processes. */
    public AllInOneConfig withEphemeralPorts() {
        return new AllInOneConfig(simulators, resourceFile, pool, cluster, 0, 0, 0, 0, 0, simulatorSettings,
                scheduler, scrapeInterval, gatewayThreads, eppSettings);
    }

    public AllInOneConfig withSimulators(int count) {
        return new AllInOneConfig(count, resourceFile, pool, cluster, gatewayPort, grpcPort, healthPort, metricsPort,
                registryPort, simulatorSettings, scheduler, scrapeInterval, gatewayThreads, eppSettings);
    }

    public AllInOneConfig withResourceFile(Path file) {
        return new AllInOneConfig(simulators, Optional.of(file), pool, cluster, gatewayPort, grpcPort, healthPort,
                metricsPort, registryPort, simulatorSettings, scheduler, scrapeInterval, gatewayThreads, eppSettings);
    }

    public AllInOneConfig withCluster(String name) {
        return new AllInOneConfig(simulators, resourceFile, pool, name, gatewayPort, grpcPort, healthPort,
                metricsPort, registryPort, simulatorSettings, scheduler, scrapeInterval, gatewayThreads, eppSettings);
    }

    /** A copy with the metrics endpoint on {@code port} (-1 disables it). */
    public AllInOneConfig withMetricsPort(int port) {
        return new AllInOneConfig(simulators, resourceFile, pool, cluster, gatewayPort, grpcPort, healthPort, port,
                registryPort, simulatorSettings, scheduler, scrapeInterval, gatewayThreads, eppSettings);
    }

    public AllInOneConfig withSimulatorSettings(SimulatorSettings settings) {
        return new AllInOneConfig(simulators, resourceFile, pool, cluster, gatewayPort, grpcPort, healthPort,
                metricsPort, registryPort, settings, scheduler, scrapeInterval, gatewayThreads, eppSettings);
    }

    /** A copy whose EPP uses {@code nameOrFile}: a built-in scheduler name or an EndpointPickerConfig file. */
    public AllInOneConfig withScheduler(String nameOrFile) {
        return new AllInOneConfig(simulators, resourceFile, pool, cluster, gatewayPort, grpcPort, healthPort,
                metricsPort, registryPort, simulatorSettings, nameOrFile, scrapeInterval, gatewayThreads, eppSettings);
    }

    public AllInOneConfig withScrapeInterval(Duration interval) {
        return new AllInOneConfig(simulators, resourceFile, pool, cluster, gatewayPort, grpcPort, healthPort,
                metricsPort, registryPort, simulatorSettings, scheduler, interval, gatewayThreads, eppSettings);
    }

    /** A copy whose gateway handles up to {@code threads} requests at once. */
    public AllInOneConfig withGatewayThreads(int threads) {
        return new AllInOneConfig(simulators, resourceFile, pool, cluster, gatewayPort, grpcPort, healthPort,
                metricsPort, registryPort, simulatorSettings, scheduler, scrapeInterval, threads, eppSettings);
    }

    /** A copy with {@code settings} as the further EPP settings. */
    public AllInOneConfig withEppSettings(Map<String, String> settings) {
        return new AllInOneConfig(simulators, resourceFile, pool, cluster, gatewayPort, grpcPort, healthPort,
                metricsPort, registryPort, simulatorSettings, scheduler, scrapeInterval, gatewayThreads, settings);
    }

    /** {@code config} with {@link #eppSettings} applied. */
    EppConfig applyEppSettings(EppConfig config) {
        EppConfig c = config;
        for (Map.Entry<String, String> e : eppSettings.entrySet()) {
            c = c.with(key(e.getKey()), e.getValue());
        }
        return c;
    }

    private static final Set<String> OWN_EPP_KEYS = Set.of(EppConfig.BOOTSTRAP_SERVERS.name(),
            EppConfig.SCHEMA_REGISTRY_URL.name(), EppConfig.POOL_NAMESPACE.name(), EppConfig.POOL_NAME.name(),
            EppConfig.CLUSTER.name(), EppConfig.BIND_ADDRESS.name(), EppConfig.GRPC_PORT.name(),
            EppConfig.HEALTH_PORT.name(), EppConfig.METRICS_PORT.name(), EppConfig.TLS_PLAINTEXT.name(),
            EppConfig.SCHEDULER_CONFIG.name());

    private static ConfigKey<?> key(String name) {
        return EppConfig.KEYS.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("--epp: unknown EPP setting " + name + " (docs/configuration.md)"));
    }

    private static void checkEppSettings(Map<String, String> settings) {
        EppConfig probe = EppConfig.defaults("localhost:9092", "default", "pool");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (OWN_EPP_KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("--epp: " + e.getKey() + " is set by the all-in-one itself");
            }
            try {
                probe = probe.with(key(e.getKey()), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw ex.getMessage() != null && ex.getMessage().startsWith("--epp") ? ex
                        : new IllegalArgumentException("--epp " + e.getKey() + "=" + e.getValue() + ": "
                                + ex.getMessage(), ex);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("--epp " + e.getKey() + "=" + e.getValue() + ": " + ex.getMessage(),
                        ex);
            }
        }
    }

    private static void checkPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be a port between 0 and 65535, got " + port);
        }
    }

    /** A built-in name, or a readable file that loads as an EndpointPickerConfig. */
    private static void checkScheduler(String nameOrFile) {
        if (SchedulerFactory.builtInNames().contains(nameOrFile)) {
            return;
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new IllegalArgumentException("--scheduler: '" + nameOrFile + "' is neither a built-in scheduler ("
                    + String.join(", ", SchedulerFactory.builtInNames()) + ") nor a readable file");
        }
        try {
            SchedulerFactory.fromConfig(file);
        } catch (SchedulerConfigException e) {
            throw new IllegalArgumentException("--scheduler: " + e.getMessage(), e);
        }
    }
}
