package dev.osprey.epp;

import dev.osprey.api.ResourceSet;
import dev.osprey.api.ResourceSource;
import dev.osprey.epp.events.EventFactory;
import dev.osprey.epp.events.KafkaEventPublisher;
import dev.osprey.epp.events.RequestEvents;
import dev.osprey.epp.extproc.ExtProcMetrics;
import dev.osprey.epp.extproc.ExtProcService;
import dev.osprey.epp.extproc.ExtProcTransport;
import dev.osprey.epp.extproc.RequestPolicy;
import dev.osprey.epp.extproc.StreamServices;
import dev.osprey.epp.request.JsonBodyInspector;
import dev.osprey.epp.request.PoolResourcesView;
import dev.osprey.epp.request.ModelResolver;
import dev.osprey.epp.scheduling.SchedulerFactory;
import dev.osprey.epp.scheduling.SchedulerOptions;
import dev.osprey.epp.scheduling.Scheduler;
import dev.osprey.epp.state.PoolGauges;
import dev.osprey.epp.state.PoolStateView;
import dev.osprey.epp.state.SharedPrefixView;
import dev.osprey.epp.state.SnapshotHolder;
import dev.osprey.epp.tls.ServerTls;
import dev.osprey.epp.tracing.OtelRequestTracer;
import dev.osprey.epp.tracing.RequestTracer;
import dev.osprey.schemas.http.TextEndpoint;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running EPP: the ext-proc gRPC server, the gRPC health server, the Prometheus endpoint, the pool-state view
 * and the decision publisher. Owns their lifecycle. Health reports NOT_SERVING until the pool state has synced,
 * then SERVING for {@link #HEALTH_SERVICES}. Thread-safe.
 */
public final class EppServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EppServer.class);

    /** The services the health endpoint answers for. */
    public static final List<String> HEALTH_SERVICES = List.of("", "readiness", "liveness",
            ExternalProcessorGrpc.SERVICE_NAME);

    private final EppConfig config;
    private final PoolStateView view;
    private final HealthStatusManager health;
    private final Server grpc;
    private final Server healthServer;
    private final TextEndpoint metrics;
    private final List<AutoCloseable> afterServers;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param afterServers closed in order after the servers and the view (publisher, owned registry, metrics) */
    private EppServer(EppConfig config, PoolStateView view, HealthStatusManager health, Server grpc,
            Server healthServer, TextEndpoint metrics, List<AutoCloseable> afterServers) {
        this.config = config;
        this.view = view;
        this.health = health;
        this.grpc = grpc;
        this.healthServer = healthServer;
        this.metrics = metrics;
        this.afterServers = List.copyOf(afterServers);
    }

    /**
     * Starts the pool-state view, the publisher and the servers; returns once the ports are bound (not
     * necessarily ready). When the metrics port is enabled and {@code meters} is not a
     * {@link PrometheusMeterRegistry}, a Prometheus registry is added next to it.
     *
     * @param resources the pool and its InferenceModels
     * @param meters where the EPP's metrics go
     * @throws IOException when a port cannot be bound
     */
    public static EppServer start(EppConfig config, ResourceSet resources, MeterRegistry meters) throws IOException {
        Objects.requireNonNull(resources, "resources");
        return start(config, ResourceSource.fixed(resources), meters);
    }

    /**
     * Like {@link #start(EppConfig, ResourceSet, MeterRegistry)}, with resources that may change while the EPP
     * runs: InferenceModels, InferenceObjectives and InferenceModelRewrites are re-read on every change of
     * {@code source}. The caller owns {@code source} and closes it after the server.
     *
     * @throws IOException when a port cannot be bound
     */
    public static EppServer start(EppConfig config, ResourceSource source, MeterRegistry meters) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(meters, "meters");
        if (source.current().pool(config.poolNamespace(), config.poolName()).isEmpty()) {
            LOG.warn("pool {}/{} is not among the loaded resources; serving it from pool state only",
                    config.poolNamespace(), config.poolName());
        }
        // Closed newest first if start-up fails.
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        List<AutoCloseable> afterServers = new ArrayList<>();
        try {
            InetAddress bind = InetAddress.getByName(config.bindAddress());
            MeterRegistry registry = meters;
            TextEndpoint metricsEndpoint = null;
            if (config.metricsPort() >= 0) {
                PrometheusMeterRegistry prometheus;
                if (meters instanceof PrometheusMeterRegistry p) {
                    prometheus = p;
                } else {
                    prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                    owned.push(prometheus::close);
                    afterServers.add(prometheus::close);
                    registry = new CompositeMeterRegistry(meters.config().clock(), List.of(meters, prometheus));
                }
                metricsEndpoint = TextEndpoint.metrics(new InetSocketAddress(bind, config.metricsPort()),
                        "osprey-epp-metrics", prometheus::scrape);
                owned.push(metricsEndpoint);
                afterServers.add(0, metricsEndpoint);
            }
            OspreyTopics topics = OspreyTopics.create(TopicNames.withPrefix(config.topicPrefix()),
                    SchemaRegistries.fromUrl(config.schemaRegistryUrl()));
            SnapshotHolder snapshots = new SnapshotHolder();
            PoolGauges.register(registry, snapshots, config.poolName());
            RequestEvents events = RequestEvents.NONE;
            if (config.publishEvents()) {
                KafkaEventPublisher publisher = KafkaEventPublisher.start(config.bootstrapServers(),
                        topics.routingDecisions(), topics.requestOutcomes(), new EventFactory(config.cluster(),
                                config.replicaId(), config.poolId(), Clock.systemUTC(), config.publishPrefixHashes()),
                        config.decisionBufferSize(), registry);
                owned.push(publisher);
                afterServers.add(0, publisher);
                events = publisher;
            }
            Scheduler scheduler = scheduler(config);
            RequestTracer tracer = config.tracingEnabled() ? OtelRequestTracer.autoConfigured() : RequestTracer.NONE;
            owned.push(tracer);
            afterServers.add(tracer);
            StreamServices services = services(config, source, registry, snapshots, scheduler, events, tracer);

            HealthStatusManager health = new HealthStatusManager();
            HEALTH_SERVICES.forEach(s -> health.setStatus(s, ServingStatus.NOT_SERVING));
            ServerTls tls = ServerTls.open(config, registry);
            owned.push(tls);
            afterServers.add(tls);
            Server grpc = ExtProcTransport.configure(NettyServerBuilder.forAddress(
                            new InetSocketAddress(bind, config.grpcPort()), tls.credentials()),
                            config.maxRequestBodyBytes())
                    .addService(new ExtProcService(services))
                    .addService(health.getHealthService())
                    .build();
            Server healthServer = NettyServerBuilder.forAddress(new InetSocketAddress(bind, config.healthPort()))
                    .addService(health.getHealthService())
                    .build();
            grpc.start();
            owned.push(grpc::shutdownNow);
            healthServer.start();
            owned.push(healthServer::shutdownNow);
            PoolStateView view = PoolStateView.start(config.bootstrapServers(), topics.poolState().name(),
                    topics.poolState().valueSerde().deserializer(), config.poolId(), config.replicaId(), snapshots,
                    registry);
            owned.push(view);
            if (config.sharedPrefixIndex()) {
                SharedPrefixView sharedPrefixes = SharedPrefixView.start(config.bootstrapServers(),
                        config.topicPrefix() + "prefix-index", config.poolId(), snapshots,
                        scheduler::mergeSharedPrefixes, registry);
                owned.push(sharedPrefixes);
                afterServers.add(0, sharedPrefixes);
            }
            EppServer server = new EppServer(config, view, health, grpc, healthServer, metricsEndpoint,
                    afterServers);
            view.onSynced(server::markServing);
            LOG.info("EPP {} for pool {} listening: ext-proc {}, health {}, metrics {}", config.replicaId(),
                    config.poolId(), server.grpcPort(), server.healthPort(), server.metricsPort());
            return server;
        } catch (IOException | RuntimeException e) {
            closeAll(owned, e);
            throw e;
        }
    }

    private static Scheduler scheduler(EppConfig config) {
        return new Scheduler(SchedulerFactory.fromSetting(config.schedulerConfig(),
                SchedulerOptions.defaults().withStalenessMs(config.metricsStaleness().toMillis())
                        .withSaturation(config.saturationQueueDepth(), config.saturationKvCache())),
                Clock.systemUTC(), ThreadLocalRandom::current);
    }

    private static StreamServices services(EppConfig config, ResourceSource source, MeterRegistry registry,
            SnapshotHolder snapshots, Scheduler scheduler, RequestEvents events, RequestTracer tracer) {
        ModelResolver models = new ModelResolver(PoolResourcesView.follow(source, config.poolNamespace(),
                config.poolName()), config.unknownModelPolicy(), ThreadLocalRandom::current);
        return new StreamServices(snapshots, scheduler, new JsonBodyInspector(), models,
                new RequestPolicy(config.maxRequestBodyBytes(), config.fallbackEndpoints()), events,
                new ExtProcMetrics(registry), tracer);
    }

    private static void closeAll(Deque<AutoCloseable> owned, Exception primary) {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                primary.addSuppressed(e);
            }
        }
    }

    private void markServing() {
        if (!closed.get()) {
            HEALTH_SERVICES.forEach(s -> health.setStatus(s, ServingStatus.SERVING));
            LOG.info("EPP {} ready", config.replicaId());
        }
    }

    /** The bound ext-proc port. */
    public int grpcPort() {
        return grpc.getPort();
    }

    /** The bound health port. */
    public int healthPort() {
        return healthServer.getPort();
    }

    /** The bound Prometheus port, or -1 when disabled. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** Whether the pool state has synced (health is SERVING). */
    public boolean ready() {
        return view.synced() && !closed.get();
    }

    /**
     * Waits until {@link #ready()}.
     *
     * @throws EppException (retriable) when not ready within {@code timeout}, or interrupted
     */
    public void awaitReady(Duration timeout) {
        try {
            if (!view.awaitSynced(timeout)) {
                throw new EppException("EPP " + config.replicaId() + " not ready after " + timeout
                        + ": pool state of " + config.poolId() + " has not synced", true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EppException("interrupted waiting for EPP readiness", true, e);
        }
    }

    /**
     * Reports NOT_SERVING, stops accepting streams, lets open ones finish within the configured grace, cancels the
     * rest, then stops the view, the publisher (draining it briefly) and the metrics endpoint; idempotent.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        health.enterTerminalState();
        grpc.shutdown();
        healthServer.shutdown();
        try {
            if (!grpc.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("cancelling ext-proc streams still open after {}", config.shutdownGrace());
                grpc.shutdownNow();
                grpc.awaitTermination(2, TimeUnit.SECONDS);
            }
            healthServer.shutdownNow();
            healthServer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            grpc.shutdownNow();
            healthServer.shutdownNow();
        } finally {
            view.close();
            for (AutoCloseable c : afterServers) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("error while stopping EPP {}", config.replicaId(), e);
                }
            }
        }
        LOG.info("EPP {} stopped", config.replicaId());
    }
}
