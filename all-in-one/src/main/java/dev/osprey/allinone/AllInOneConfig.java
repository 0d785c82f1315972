package dev.osprey.allinone;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of the all-in-one process. Ports of 0 pick free ones (tests); -1 disables the metrics endpoint.
 *
 * @param simulators how many model-server simulators to start (0 to route only to pods listed in the file)
 * @param resourceFile the resource YAML; empty for the bundled default
 * @param pool {@code namespace/name} of the pool to serve; empty for the file's first pool
 * @param simulatorAddressBase the first loopback address simulators bind (each gets the next one), all on the
 *     pool's first target port, so every simulator looks like a pod with its own IP
 */
public record AllInOneConfig(int simulators, Optional<Path> resourceFile, Optional<String> pool, String cluster,
        int gatewayPort, int grpcPort, int healthPort, int metricsPort, int registryPort,
        String simulatorAddressBase, String simulatorProfile) {

    public static final int DEFAULT_SIMULATORS = 4;

    public AllInOneConfig {
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
    }

    /** The documented defaults: 4 simulators, gateway 8080, ext-proc 9002, health 9003, metrics 9090. */
    public static AllInOneConfig defaults() {
        return new AllInOneConfig(DEFAULT_SIMULATORS, Optional.empty(), Optional.empty(), "local", 8080, 9002, 9003,
                9090, 8081, "127.0.0.11", "test");
    }

    /** Every port 0, for tests that run beside other processes. */
    public AllInOneConfig withEphemeralPorts() {
        return new AllInOneConfig(simulators, resourceFile, pool, cluster, 0, 0, 0, 0, 0, simulatorAddressBase,
                simulatorProfile);
    }

    public AllInOneConfig withSimulators(int count) {
        return new AllInOneConfig(count, resourceFile, pool, cluster, gatewayPort, grpcPort, healthPort, metricsPort,
                registryPort, simulatorAddressBase, simulatorProfile);
    }

    public AllInOneConfig withResourceFile(Path file) {
        return new AllInOneConfig(simulators, Optional.of(file), pool, cluster, gatewayPort, grpcPort, healthPort,
                metricsPort, registryPort, simulatorAddressBase, simulatorProfile);
    }

    private static void checkPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be a port between 0 and 65535, got " + port);
        }
    }
}
