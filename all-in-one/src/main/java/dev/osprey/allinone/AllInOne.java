package dev.osprey.allinone;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.ProcessingGuarantee;
import dev.osprey.aggregator.StateAggregator;
import dev.osprey.allinone.gateway.GatewayConfig;
import dev.osprey.allinone.gateway.LocalGateway;
import dev.osprey.api.InferenceModel;
import dev.osprey.api.InferencePool;
import dev.osprey.api.Pod;
import dev.osprey.api.ResourceFileLoader;
import dev.osprey.api.ResourceMeta;
import dev.osprey.api.ResourceSet;
import dev.osprey.collector.CollectorConfig;
import dev.osprey.collector.MetricsCollector;
import dev.osprey.collector.discovery.StaticEndpointSource;
import dev.osprey.epp.EppConfig;
import dev.osprey.epp.EppServer;
import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.epp.state.PoolStateView;
import dev.osprey.epp.state.SnapshotHolder;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.embedded.TempDirectory;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.registry.SchemaRegistries;
import dev.osprey.schemas.registry.SchemaRegistryServer;
import dev.osprey.sim.ModelServerSim;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Osprey in one JVM. {@link #start} brings every part up in dependency order and returns once the EPP is ready
 * to route; {@link #close} stops them in reverse order. Not thread-safe: one owner starts and closes it.
 */
public final class AllInOne implements AutoCloseable {

    /** The schema registry scope every part of this process shares. */
    static final String REGISTRY_URL = "mock://osprey-all-in-one";

    private static final Logger LOG = LoggerFactory.getLogger(AllInOne.class);

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final List<ModelServerSim> simulators = new ArrayList<>();
    private EmbeddedKafka kafka;
    private LocalGateway gateway;
    private EppServer epp;
    private SchemaRegistryServer registry;
    private InferencePool pool;
    private String cluster;
    private String modelName;
    private Duration startupTime;

    private AllInOne() {
    }

    /**
     * Starts everything and waits until the EPP has synced its pool state.
     *
     * @throws IOException when a port cannot be bound or the resource file cannot be read
     * @throws IllegalStateException when a part fails to start; everything started so far is stopped
     */
    public static AllInOne start(AllInOneConfig config) throws IOException {
        AllInOne aio = new AllInOne();
        long started = System.nanoTime();
        try {
            aio.startParts(config);
        } catch (IOException | RuntimeException e) {
            aio.close();
            throw e;
        }
        aio.startupTime = Duration.ofNanos(System.nanoTime() - started);
        return aio;
    }

    private void startParts(AllInOneConfig config) throws IOException {
        PortCheck.requireFree(config);
        ResourceSet resources = loadResources(config);
        pool = choosePool(resources, config.pool());
        cluster = config.cluster();
        modelName = resources.models().stream().filter(m -> m.poolRef().isEmpty()
                || m.poolRef().equals(pool.meta().name())).map(InferenceModel::modelName).findFirst()
                .orElse("meta-llama/Llama-3.1-8B-Instruct");

        kafka = own(EmbeddedKafka.start());
        registry = own(SchemaRegistryServer.start(SchemaRegistries.mockScope(REGISTRY_URL.substring(7)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), config.registryPort())));
        TopicProvisioner.ensureTopics(kafka.bootstrapServers(), TopicNames.defaults(),
                new TopicProvisioner.Layout(3, (short) 1));

        resources = resources.withPods(startSimulators(config));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        own(MetricsCollector.start(CollectorConfig.builder(kafka.bootstrapServers())
                .cluster(config.cluster()).schemaRegistryUrl(REGISTRY_URL)
                .scrapeInterval(config.scrapeInterval()).build(),
                StaticEndpointSource.of(resources, config.cluster()), meters));
        // owned before the aggregator, so it is deleted after the aggregator has closed its stores
        Path stateDir = own(TempDirectory.create("osprey-aggregator")).path();
        // At-least-once here: with the broker inside this same process there is no failure that exactly-once
        // would protect against, and transactions on a one-node in-process broker cost a third of the throughput
        // and stalled the stream thread for seconds under CPU contention. Deployments keep the EOS default.
        StateAggregator aggregator = own(StateAggregator.start(AggregatorConfig.defaults(kafka.bootstrapServers())
                .withCluster(config.cluster()).withSchemaRegistryUrl(REGISTRY_URL).withStateDir(stateDir)
                .withProcessingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE), meters));
        epp = own(EppServer.start(config.applyEppSettings(EppConfig.defaults(kafka.bootstrapServers(),
                pool.meta().namespace(),
                pool.meta().name()).withCluster(config.cluster()).withSchemaRegistryUrl(REGISTRY_URL).withBindAddress("127.0.0.1")
                .withGrpcPort(config.grpcPort()).withHealthPort(config.healthPort())
                .withMetricsPort(config.metricsPort()).withTlsPlaintext(true)
                .withSchedulerConfig(config.scheduler())), resources, meters));
        gateway = own(LocalGateway.start(GatewayConfig.defaults(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), config.gatewayPort()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), epp.grpcPort()))
                .withFailureMode(GatewayConfig.failureModeOf(pool)).withWorkerThreads(config.gatewayThreads()),
                this::simulatorEndpoints));
        aggregator.awaitRunning(Duration.ofSeconds(60));
        epp.awaitReady(Duration.ofSeconds(60));
    }

    private List<Pod> startSimulators(AllInOneConfig config) throws IOException {
        List<Pod> pods = new ArrayList<>();
        int port = pool.targetPorts().get(0);
        SimulatorSettings settings = config.simulatorSettings();
        byte[] base = InetAddress.getByName(settings.addressBase()).getAddress();
        for (int i = 0; i < config.simulators(); i++) {
            byte[] address = base.clone();
            address[address.length - 1] = (byte) ((base[base.length - 1] & 0xff) + i);
            String host = InetAddress.getByAddress(address).getHostAddress();
            ModelServerSim sim;
            try {
                sim = own(ModelServerSim.start(settings.simConfig(host, port, modelName)));
            } catch (BindException e) {
                throw new BindException("simulator " + i + " cannot listen on " + host + ":" + port
                        + ", already in use (the pool's target port on the simulators' addresses, from "
                        + settings.addressBase() + "): stop what holds it");
            }
            simulators.add(sim);
            pods.add(new Pod(new ResourceMeta("sim-" + i, pool.meta().namespace(), Instant.now(), pool.selector()),
                    Optional.of(host), true, false));
        }
        return pods;
    }

    private static ResourceSet loadResources(AllInOneConfig config) throws IOException {
        if (config.resourceFile().isPresent()) {
            return ResourceFileLoader.load(config.resourceFile().get());
        }
        try (InputStream in = AllInOne.class.getResourceAsStream("/osprey-default.yaml")) {
            if (in == null) {
                throw new IOException("the bundled osprey-default.yaml is missing from the jar");
            }
            return ResourceFileLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "bundled osprey-default.yaml");
        }
    }

    private static InferencePool choosePool(ResourceSet resources, Optional<String> wanted) {
        if (wanted.isPresent()) {
            String[] parts = wanted.get().split("/");
            return resources.pool(parts[0], parts[1]).orElseThrow(() -> new IllegalArgumentException(
                    "--pool " + wanted.get() + " is not in the resource file"));
        }
        return resources.pools().stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
                "the resource file has no InferencePool"));
    }

    private <T extends AutoCloseable> T own(T part) {
        parts.push(part);
        return part;
    }

    /**
     * Waits until the pool state the EPP follows lists at least {@code count} healthy endpoints (the EPP is ready as
     * soon as it has read the pool-state topic, which may be before the first scrapes arrived), following the topic
     * with a view of its own.
     *
     * @throws IllegalStateException when they are not there within {@code timeout}
     */
    public void awaitHealthyEndpoints(int count, Duration timeout) throws InterruptedException {
        SnapshotHolder holder = new SnapshotHolder();
        OspreyTopics topics = OspreyTopics.create(TopicNames.defaults(), SchemaRegistries.fromUrl(REGISTRY_URL));
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PoolStateView view = PoolStateView.start(kafka.bootstrapServers(), TopicNames.defaults().poolState(),
                topics.poolState().valueSerde().deserializer(), pool.poolId(cluster), "all-in-one-await", holder,
                new SimpleMeterRegistry())) {
            while (healthy(holder) < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("pool state lists " + healthy(holder) + " healthy endpoint(s), "
                            + count + " expected, after " + timeout);
                }
                Thread.sleep(20);
            }
        }
    }

    private static long healthy(SnapshotHolder holder) {
        return holder.current().map(PoolSnapshot::endpoints).orElse(List.of()).stream()
                .filter(e -> e.health() == EndpointHealth.HEALTHY).count();
    }

    /** {@code ip:port} of every simulator, in start order. */
    public List<String> simulatorEndpoints() {
        return simulators.stream().map(ModelServerSim::hostPort).toList();
    }

    /** The simulators, in start order (tests load them to change routing). */
    public List<ModelServerSim> simulators() {
        return List.copyOf(simulators);
    }

    public InetSocketAddress gatewayAddress() {
        return gateway.address();
    }

    public int eppGrpcPort() {
        return epp.grpcPort();
    }

    public int eppHealthPort() {
        return epp.healthPort();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.url().toString();
    }

    public InferencePool pool() {
        return pool;
    }

    /** The model name clients send (the first InferenceModel of the pool). */
    public String modelName() {
        return modelName;
    }

    /** From the call to {@link #start} until the EPP was ready. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops every part in reverse start order; failures are logged and the rest still stop. */
    @Override
    public void close() {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
