package dev.osprey.epp.launch;

import dev.osprey.api.ResourceFileSource;
import dev.osprey.api.ResourceSource;
import dev.osprey.api.kubernetes.KubernetesResourceSource;
import dev.osprey.epp.EppConfig;
import dev.osprey.epp.EppServer;
import dev.osprey.schemas.config.ConfigSources;
import dev.osprey.schemas.launch.Launch;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one EPP replica until SIGTERM/SIGINT. Configuration, lowest precedence first: the {@code --config}
 * properties file, {@code OSPREY_EPP_*} environment variables (key {@code osprey.epp.grpc-port} is
 * {@code OSPREY_EPP_GRPC_PORT}), then the command-line flags ({@link UpstreamFlags}: upstream's EPP flags and
 * Osprey's). The replica id defaults to {@code $HOSTNAME} (the pod name in Kubernetes), so replicas sharing
 * in-flight counts are told apart without configuration. Resources come from Kubernetes (InferencePool,
 * InferenceModel, ... in the pool's namespace, through fabric8 informers and the in-cluster or kubeconfig
 * credentials) unless {@code --resources FILE} is given (re-read every second; an edit that does not load is logged
 * and ignored). A bad command line, variable or key prints one line naming it and exits with status 2; a failed
 * start exits with 1 ({@link Launch}).
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    private static final String ENV_PREFIX = "OSPREY_EPP_";
    private static final String SERVICE = "osprey epp";
    private static final Duration KUBERNETES_SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RESOURCE_FILE_POLL = Duration.ofSeconds(1);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        UpstreamFlags flags = Launch.readOrExit(SERVICE,
                () -> UpstreamFlags.parse(Arrays.asList(args), System.getenv()));
        EppConfig config = Launch.readOrExit(SERVICE, () -> configuration(flags, System.getenv()));
        flags.ignored().forEach(LOG::info);
        KubernetesClient client = null;
        ResourceSource resources = null;
        EppServer server;
        try {
            if (flags.resources().isPresent()) {
                resources = ResourceFileSource.start(flags.resources().get(), RESOURCE_FILE_POLL);
            } else {
                client = new KubernetesClientBuilder().build();
                resources = KubernetesResourceSource.start(client, Optional.of(config.poolNamespace()),
                        KUBERNETES_SYNC_TIMEOUT);
            }
            server = EppServer.start(config, resources, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        } catch (IOException | RuntimeException e) {
            Launch.failStart(LOG, SERVICE, e, resources, client);
            return;
        }
        AutoCloseable[] parts = {server, resources, client};
        Launch.onShutdown("osprey-epp-shutdown", () -> {
            LOG.info("stopping EPP {}", config.replicaId());
            Launch.closeAll(LOG, parts);
        }).await();
    }

    /**
     * The configuration of {@code flags}: the properties file, then {@code OSPREY_EPP_*} variables, then the flags.
     *
     * @throws IllegalArgumentException naming the key, variable or file at fault
     */
    public static EppConfig configuration(UpstreamFlags flags, Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        flags.configFile().ifPresent(file -> values.putAll(ConfigSources.propertiesFile(file)));
        values.putAll(ConfigSources.environment(ENV_PREFIX, EppConfig.KEYS.stream().map(k -> k.name()).toList(),
                environment));
        values.putAll(flags.settings());
        String hostname = environment.getOrDefault("HOSTNAME", "");
        if (!hostname.isBlank()) {
            values.putIfAbsent(EppConfig.REPLICA_ID.name(), hostname);
        }
        if (flags.schedulerText().isPresent()) {
            values.put(EppConfig.SCHEDULER_CONFIG.name(), writeSchedulerText(flags.schedulerText().get()).toString());
        }
        return EppConfig.fromMap(values);
    }

    private static Path writeSchedulerText(String yaml) {
        try {
            Path file = Files.createTempFile("osprey-epp-scheduler-", ".yaml");
            file.toFile().deleteOnExit();
            return Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write --config-text to a temporary file: " + e.getMessage(), e);
        }
    }
}
