package dev.osprey.collector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.osprey.api.ResourceFileSource;
import dev.osprey.api.ResourceSource;
import dev.osprey.api.kubernetes.KubernetesResourceSource;
import dev.osprey.collector.discovery.EndpointSource;
import dev.osprey.collector.discovery.ResourceEndpointSource;
import dev.osprey.collector.discovery.ShardedEndpointSource;
import dev.osprey.schemas.config.ConfigSources;
import dev.osprey.schemas.http.TextEndpoint;
import dev.osprey.schemas.launch.Launch;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one collector process until it is stopped (SIGTERM/SIGINT): configuration from {@code --config} then
 * {@code OSPREY_COLLECTOR_*} variables (variables win), endpoints from a watched resource file or Kubernetes
 * discovery, its own meters served as Prometheus text on {@code metrics-port}. Bad arguments or configuration print
 * one line naming the flag or key and exit with status 2; a start-up failure (unreadable resource file, port in use,
 * Kafka unusable) exits with status 1.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** The metrics endpoint's worker thread. */
    static final String METRICS_THREAD = "osprey-collector-metrics";
    private static final Duration KUBERNETES_SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final String SERVICE = "osprey collector";

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        LaunchOptions options = Launch.readOrExit(SERVICE, () -> LaunchOptions.parse(args));
        CollectorConfig config = Launch.readOrExit(SERVICE, () -> configuration(options, System.getenv()));
        KubernetesClient client = options.kubernetes() ? new KubernetesClientBuilder().build() : null;
        ResourceSource resources = null;
        MetricsCollector collector = null;
        ShardedEndpointSource sharded = null;
        TextEndpoint endpoint = null;
        try {
            resources = client != null
                    ? KubernetesResourceSource.start(client, options.namespace(), KUBERNETES_SYNC_TIMEOUT)
                    : ResourceFileSource.start(options.resources().orElseThrow(), config.discoveryInterval());
            EndpointSource endpoints = new ResourceEndpointSource(resources, config.cluster(), config.discoveryPools());
            if (config.shards() > 0) {
                sharded = ShardedEndpointSource.start(endpoints, config.shardSettings());
                endpoints = sharded;
            }
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            collector = MetricsCollector.start(config, endpoints, meters);
            if (config.metricsPort() >= 0) {
                endpoint = TextEndpoint.metrics(new InetSocketAddress(config.metricsPort()), METRICS_THREAD,
                        meters::scrape);
                LOG.info("collector meters served on :{}/metrics", endpoint.port());
            }
        } catch (IOException | RuntimeException e) {
            Launch.failStart(LOG, SERVICE, e, endpoint, collector, sharded, resources, client);
            return;
        }
        AutoCloseable[] parts = {endpoint, collector, sharded, resources, client};
        Launch.onShutdown("osprey-collector-shutdown", () -> {
            LOG.info("stopping collector {}", config.collectorId());
            Launch.closeAll(LOG, parts);
        }).await();
    }

    /**
     * The configuration of {@code options}: the properties file (if any), then {@code environment}'s
     * {@code OSPREY_COLLECTOR_*} variables on top.
     *
     * @throws IllegalArgumentException naming the key, variable or file at fault
     */
    static CollectorConfig configuration(LaunchOptions options, Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        options.configFile().ifPresent(file -> values.putAll(ConfigSources.propertiesFile(file)));
        values.putAll(EnvironmentBinding.keysOf(environment));
        return CollectorConfig.fromMap(values);
    }
}
