package dev.osprey.aggregator;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.osprey.aggregator.topology.AggregatorMetrics;
import dev.osprey.aggregator.query.QueryServer;
import dev.osprey.aggregator.topology.AggregatorTopology;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running aggregator instance: the Kafka Streams application of {@link AggregatorTopology}, its metrics and,
 * when {@link AggregatorConfig#applicationServer()} is set, its HTTP query API ({@link QueryServer}).
 *
 * <p>Thread-safe. {@link #close()} is idempotent and bounded by the configured shutdown timeout. A stream thread
 * that dies of an unexpected exception shuts the instance down ({@link #isRunning()} turns false), so a supervisor
 * can restart it; local state is kept and reused on restart (never wiped at start-up).
 */
public final class StateAggregator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateAggregator.class);

    private final AggregatorConfig config;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final Optional<QueryServer> queryServer;
    private final Object stateLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private KafkaStreams.State state = KafkaStreams.State.CREATED;

    private StateAggregator(AggregatorConfig config, KafkaStreams streams, MeterRegistry meters,
            Optional<QueryServer> queryServer) {
        this.config = config;
        this.streams = streams;
        this.queryServer = queryServer;
        this.streamsMetrics = new KafkaStreamsMetrics(streams, List.of(Tag.of("application.id", config.applicationId())));
        streams.setStateListener(this::onStateChange);
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("aggregator {} stream thread failed; shutting the instance down", config.applicationId(),
                    exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streamsMetrics.bindTo(meters);
    }

    /**
     * Creates missing topics, then starts the Kafka Streams application; returns without waiting for it to run.
     *
     * @param meters where the aggregator's and Kafka Streams' meters are registered; owned by the caller
     * @throws AggregatorException when topics cannot be provisioned (retriable) or Streams cannot start
     */
    public static StateAggregator start(AggregatorConfig config, MeterRegistry meters) {
        OspreyTopics topics = OspreyTopics.create(config.topicNames(), SchemaRegistries.fromUrl(config.schemaRegistryUrl()));
        try {
            List<NewTopic> all = new ArrayList<>(TopicProvisioner.topics(config.topicNames(), config.topicLayout()));
            all.add(PrefixIndexTopic.topic(config));
            TopicProvisioner.ensure(config.bootstrapServers(), all);
        } catch (IllegalStateException e) {
            throw new AggregatorException("cannot provision the Osprey topics at " + config.bootstrapServers(), true, e);
        }
        AggregatorMetrics metrics = new AggregatorMetrics(meters);
        Optional<QueryServer> queryServer = bindQueryServer(config);
        String applicationServer = queryServer.map(q -> q.advertised().host() + ":" + q.advertised().port()).orElse("");
        StateAggregator aggregator;
        try {
            KafkaStreams streams = new KafkaStreams(AggregatorTopology.build(config, topics, metrics),
                    StreamsProperties.of(config, applicationServer, metrics));
            aggregator = new StateAggregator(config, streams, meters, queryServer);
        } catch (RuntimeException e) {
            queryServer.ifPresent(QueryServer::close);
            throw new AggregatorException("cannot create aggregator " + config.applicationId(), false, e);
        }
        try {
            aggregator.streams.start();
            queryServer.ifPresent(q -> q.start(aggregator.streams, config.cluster(), config.stalenessThreshold(),
                    config.queryTimeout(), config.prefixTtl(), config.prefixMaxBlocksPerEndpoint()));
        } catch (RuntimeException e) {
            aggregator.close();
            throw new AggregatorException("cannot start aggregator " + config.applicationId(), false, e);
        }
        LOG.info("aggregator {} started: {} -> {}", config.applicationId(), config.topicNames().endpointMetrics(),
                config.topicNames().poolState());
        return aggregator;
    }

    /** The base URI of this instance's HTTP query API, when {@link AggregatorConfig#applicationServer()} is set. */
    public Optional<URI> queryUri() {
        return queryServer.map(QueryServer::uri);
    }

    /** The configuration this instance runs with. */
    public AggregatorConfig config() {
        return config;
    }

    /** The current Kafka Streams state. */
    public KafkaStreams.State state() {
        synchronized (stateLock) {
            return state;
        }
    }

    /** Whether Kafka Streams is RUNNING (processing, not rebalancing). */
    public boolean isRunning() {
        return state() == KafkaStreams.State.RUNNING;
    }

    /**
     * Waits until Kafka Streams is RUNNING.
     *
     * @throws AggregatorException on timeout (retriable), when the instance stopped or failed (not retriable), or
     *     when interrupted (the interrupt flag is restored)
     */
    public void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateLock) {
            while (state != KafkaStreams.State.RUNNING) {
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                        || state == KafkaStreams.State.PENDING_SHUTDOWN || state == KafkaStreams.State.NOT_RUNNING) {
                    throw new AggregatorException("aggregator " + config.applicationId() + " is " + state
                            + " and will not run", false);
                }
                long remainingNanos = deadline - System.nanoTime();
                if (remainingNanos <= 0) {
                    throw new AggregatorException("aggregator " + config.applicationId() + " not running after "
                            + timeout.toMillis() + " ms (state " + state + ")", true);
                }
                try {
                    stateLock.wait(Math.max(1, remainingNanos / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AggregatorException("interrupted while waiting for aggregator " + config.applicationId(),
                            false, e);
                }
            }
        }
    }

    /**
     * Stops processing, leaves the consumer group (so other instances take over this one's pools right away) and
     * releases every resource; waits at most the configured shutdown timeout.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queryServer.ifPresent(QueryServer::close);
        // Leave the consumer group on a graceful close so the remaining instances take over this instance's pools
        // at once instead of after the session timeout (45 s by default).
        boolean clean = streams.close(CloseOptions.timeout(config.shutdownTimeout())
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        streamsMetrics.close();
        if (clean) {
            LOG.info("aggregator {} closed", config.applicationId());
        } else {
            LOG.warn("aggregator {} did not close within {} ms", config.applicationId(),
                    config.shutdownTimeout().toMillis());
        }
    }

    private static Optional<QueryServer> bindQueryServer(AggregatorConfig config) {
        if (!config.queryApiEnabled()) {
            return Optional.empty();
        }
        String server = config.applicationServer();
        int colon = server.lastIndexOf(':');
        String host = server.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return Optional.of(QueryServer.bind(host, Integer.parseInt(server.substring(colon + 1))));
        } catch (UncheckedIOException e) {
            throw new AggregatorException(AggregatorConfig.APPLICATION_SERVER + ": cannot listen on " + server, true, e);
        }
    }

    private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        LOG.debug("aggregator {}: {} -> {}", config.applicationId(), oldState, newState);
        synchronized (stateLock) {
            state = newState;
            stateLock.notifyAll();
        }
    }
}
