package dev.osprey.collector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.osprey.api.ResourceFileSource;
import dev.osprey.api.ResourceSource;
import dev.osprey.api.kubernetes.KubernetesResourceSource;
import dev.osprey.collector.discovery.EndpointSource;
import dev.osprey.collector.discovery.ResourceEndpointSource;
import dev.osprey.collector.discovery.ShardedEndpointSource;
import dev.osprey.schemas.config.ConfigSources;
import dev.osprey.schemas.http.TextEndpoint;
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

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        LaunchOptions options;
        CollectorConfig config;
        try {
            options = LaunchOptions.parse(args);
            config = configuration(options, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("osprey collector: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
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
            LOG.error("osprey collector failed to start: {}", e.getMessage(), e);
            closeAll(endpoint, collector, sharded, resources, client);
            System.exit(1);
            return;
        }
        AutoCloseable[] parts = {endpoint, collector, sharded, resources, client};
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping collector {}", config.collectorId());
            closeAll(parts);
            stopped.countDown();
        }, "osprey-collector-shutdown"));
        stopped.await();
    }

    /** Closes the started parts in order (nulls skipped), logging any that fail to close. */
    private static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", part.getClass().getSimpleName(), e);
            }
        }
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
