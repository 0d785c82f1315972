package dev.osprey.aggregator.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.StreamsProperties;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.registry.InMemorySchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A TopologyTestDriver over {@link AggregatorTopology} with typed topics and a mock wall clock. */
final class TopologyFixture implements AutoCloseable {

    static final Instant START = Instant.ofEpochMilli(1_700_000_000_000L);

    final AggregatorConfig config;
    final OspreyTopics topics;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<String, EndpointMetrics> metrics;
    final TestInputTopic<byte[], byte[]> rawMetrics;
    final TestInputTopic<String, RoutingDecision> decisions;
    final TestInputTopic<String, RequestOutcome> outcomes;
    final TestOutputTopic<String, PoolState> poolStates;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<String, PrefixIndexSnapshot> prefixIndex;
    final TestOutputTopic<String, PoolStatsReport> poolStats;

    TopologyFixture(Path stateDir, AggregatorConfig base) {
        this.config = base.withStateDir(stateDir);
        this.topics = OspreyTopics.create(config.topicNames(), new InMemorySchemaRegistry());
        AggregatorMetrics aggregatorMetrics = new AggregatorMetrics(meters);
        Properties props = StreamsProperties.of(config, "", aggregatorMetrics);
        this.driver = new TopologyTestDriver(AggregatorTopology.build(config, topics, aggregatorMetrics), props, START);
        this.metrics = driver.createInputTopic(topics.endpointMetrics().name(),
                topics.endpointMetrics().keySerde().serializer(), topics.endpointMetrics().valueSerde().serializer());
        this.rawMetrics = driver.createInputTopic(topics.endpointMetrics().name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.decisions = driver.createInputTopic(topics.routingDecisions().name(),
                topics.routingDecisions().keySerde().serializer(), topics.routingDecisions().valueSerde().serializer());
        this.outcomes = driver.createInputTopic(topics.requestOutcomes().name(),
                topics.requestOutcomes().keySerde().serializer(), topics.requestOutcomes().valueSerde().serializer());
        this.poolStates = driver.createOutputTopic(topics.poolState().name(),
                topics.poolState().keySerde().deserializer(), topics.poolState().valueSerde().deserializer());
        this.deadLetters = driver.createOutputTopic(topics.deadLetters().name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.prefixIndex = driver.createOutputTopic(config.prefixIndexTopic(), new StringDeserializer(),
                new JsonSerde<>(PrefixIndexSnapshot.class));
        this.poolStats = driver.createOutputTopic(config.topicNames().poolStats(), new StringDeserializer(),
                new JsonSerde<>(PoolStatsReport.class));
    }

    static AggregatorConfig defaults() {
        return AggregatorConfig.defaults("dummy:9092").withApplicationId("topology-test");
    }

    private long elapsed;

    /** The driver's mock wall clock, in epoch millis. */
    long now() {
        return START.toEpochMilli() + elapsed;
    }

    void advance(Duration duration) {
        elapsed += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    void send(EndpointMetrics sample) {
        metrics.pipeInput(sample.getPoolId(), sample);
    }

    void decide(String poolId, String requestId, String replica, String hostPort) {
        decisions.pipeInput(poolId, RoutingDecision.newBuilder().setCluster("c1").setEppReplicaId(replica)
                .setSequence(1).setDecidedAtMs(now()).setRequestId(requestId).setPoolId(poolId)
                .setChosenEndpoints(List.of(hostPort)).build());
    }

    void decide(RoutingDecision.Builder decision) {
        RoutingDecision built = decision.setCluster("c1").setSequence(1).build();
        decisions.pipeInput(built.getPoolId(), built);
    }

    /** A ROUTED decision builder of {@code requestId} at the mock wall clock, from replica epp-0. */
    RoutingDecision.Builder routed(String poolId, String requestId, String hostPort) {
        return RoutingDecision.newBuilder().setCluster("c1").setEppReplicaId("epp-0").setSequence(1)
                .setDecidedAtMs(now()).setRequestId(requestId).setPoolId(poolId).setChosenEndpoints(List.of(hostPort));
    }

    void finish(RequestOutcome.Builder outcome) {
        RequestOutcome built = outcome.build();
        outcomes.pipeInput(built.getPoolId(), built);
    }

    /** A successful outcome builder of {@code requestId} at the mock wall clock. */
    RequestOutcome.Builder outcome(String poolId, String requestId, double ttftMs, double latencyMs) {
        return RequestOutcome.newBuilder().setCluster("c1").setEppReplicaId("epp-0").setSequence(1)
                .setFinishedAtMs(now()).setRequestId(requestId).setPoolId(poolId).setEndpoint("10.0.0.1:8000")
                .setHttpStatus(200).setTimeToFirstByteMs(ttftMs).setEndToEndLatencyMs(latencyMs);
    }

    void finish(String poolId, String requestId, String replica, String hostPort) {
        outcomes.pipeInput(poolId, RequestOutcome.newBuilder().setCluster("c1").setEppReplicaId(replica)
                .setSequence(1).setFinishedAtMs(now()).setRequestId(requestId).setPoolId(poolId)
                .setEndpoint(hostPort).setHttpStatus(200).setEndToEndLatencyMs(12.5).build());
    }

    List<TestRecord<String, PoolState>> drain() {
        return poolStates.readRecordsToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
