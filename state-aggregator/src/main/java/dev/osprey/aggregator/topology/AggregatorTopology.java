package dev.osprey.aggregator.topology;

import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.schemas.kafka.OspreyTopics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator's Kafka Streams topology, a pure factory:
 *
 * <pre>
 * endpoint-metrics  ───────────────────────────────────────────► pool-load-processor ─► pool-state
 * routing-decisions ─┬► inflight-processor (inflight-requests, inflight) ─┘   (pool-load, adapter-residency,
 * request-outcomes  ─┘                                                        pool-version; in-memory pool views)
 * routing-decisions ───► prefix-index-processor (prefix-index) ───────────────► prefix-index (JSON)
 * routing-decisions ─┬► pool-stats-processor (pool-stats, pool-stats-requests) ─► pool-stats (JSON)
 * request-outcomes  ─┘
 * </pre>
 *
 * Every input is keyed by pool id, so one task owns all of a pool's state; the three input topics must have the
 * same number of partitions. Store keys are {@code poolId|...} (see {@link StoreKeys}) for prefix scans per pool.
 */
public final class AggregatorTopology {

    /** Newest sample per endpoint: key {@code poolId|endpointId}, value EndpointMetrics (as {@link EncodedSample}). */
    public static final String POOL_LOAD_STORE = "pool-load";
    /** Last published PoolState version per pool id. */
    public static final String POOL_VERSION_STORE = "pool-version";
    /** LoRA adapter residency: key {@code poolId|adapter}, value {@link AdapterResidency}. */
    public static final String ADAPTER_RESIDENCY_STORE = "adapter-residency";
    /** Requests in flight per endpoint: key {@code poolId|ip:port}, value {@link InflightCounts}. */
    public static final String INFLIGHT_STORE = "inflight";
    /** Requests awaiting their outcome: key {@code poolId|requestId}, value {@link OpenRequest}. */
    public static final String INFLIGHT_REQUESTS_STORE = "inflight-requests";
    /** Prompt-prefix blocks per endpoint: key {@code poolId|ip:port|hash}, value last routed (epoch millis). */
    public static final String PREFIX_INDEX_STORE = "prefix-index";
    /** Open pool-stats windows: key {@code poolId|windowStart|model}, value {@link PoolStatsWindow}. */
    public static final String POOL_STATS_STORE = "pool-stats";
    /** Model of each routed request awaiting its outcome: key {@code poolId|requestId}, value {@link RequestModel}. */
    public static final String POOL_STATS_REQUESTS_STORE = "pool-stats-requests";

    public static final String METRICS_SOURCE = "endpoint-metrics-source";
    public static final String DECISIONS_SOURCE = "routing-decisions-source";
    public static final String OUTCOMES_SOURCE = "request-outcomes-source";
    public static final String POOL_LOAD_PROCESSOR = "pool-load-processor";
    public static final String INFLIGHT_PROCESSOR = "inflight-processor";
    public static final String POOL_STATE_SINK = "pool-state-sink";
    public static final String PREFIX_INDEX_PROCESSOR = "prefix-index-processor";
    public static final String PREFIX_INDEX_SINK = "prefix-index-sink";
    public static final String POOL_STATS_PROCESSOR = "pool-stats-processor";
    public static final String POOL_STATS_SINK = "pool-stats-sink";

    private AggregatorTopology() {
    }

    /** The topology with meters that record nowhere. */
    public static Topology build(AggregatorConfig config, OspreyTopics topics) {
        return build(config, topics, AggregatorMetrics.noop());
    }

    /** The topology, recording its own meters in {@code metrics}. */
    public static Topology build(AggregatorConfig config, OspreyTopics topics, AggregatorMetrics metrics) {
        Topology topology = new Topology();
        var metricsTopic = topics.endpointMetrics();
        var decisionsTopic = topics.routingDecisions();
        var outcomesTopic = topics.requestOutcomes();
        var poolStateTopic = topics.poolState();

        EncodedSampleSerde samples = new EncodedSampleSerde(metricsTopic.valueSerde().deserializer());
        topology.addSource(METRICS_SOURCE, metricsTopic.keySerde().deserializer(), samples, metricsTopic.name());
        topology.addSource(DECISIONS_SOURCE, decisionsTopic.keySerde().deserializer(),
                decisionsTopic.valueSerde().deserializer(), decisionsTopic.name());
        topology.addSource(OUTCOMES_SOURCE, outcomesTopic.keySerde().deserializer(),
                outcomesTopic.valueSerde().deserializer(), outcomesTopic.name());

        topology.addProcessor(INFLIGHT_PROCESSOR,
                () -> new InflightProcessor(config.sweepInterval(), config.inflightTimeout(), metrics),
                DECISIONS_SOURCE, OUTCOMES_SOURCE);
        topology.addProcessor(POOL_LOAD_PROCESSOR,
                () -> new PoolLoadProcessor(config, poolStateTopic.valueSerde().serializer(), metrics), METRICS_SOURCE,
                INFLIGHT_PROCESSOR);
        // The processor forwards PoolState already in the topic's wire format (PoolStateWriter).
        topology.addSink(POOL_STATE_SINK, poolStateTopic.name(), poolStateTopic.keySerde().serializer(),
                Serdes.ByteArray().serializer(), POOL_LOAD_PROCESSOR);

        // pool-load and pool-version are rewritten per sample and per publication: in memory (durability comes from
        // the changelog, which every restart replays) and cached, so an endpoint's samples within one commit
        // interval reach the changelog once, at the commit, in the same transaction as the input offsets.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POOL_LOAD_STORE),
                Serdes.String(), samples).withCachingEnabled(), POOL_LOAD_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADAPTER_RESIDENCY_STORE),
                Serdes.String(), new JsonSerde<>(AdapterResidency.class)), POOL_LOAD_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INFLIGHT_REQUESTS_STORE),
                Serdes.String(), new JsonSerde<>(OpenRequest.class)), INFLIGHT_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INFLIGHT_STORE),
                Serdes.String(), new JsonSerde<>(InflightCounts.class)), INFLIGHT_PROCESSOR, POOL_LOAD_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POOL_VERSION_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), POOL_LOAD_PROCESSOR);

        topology.addProcessor(PREFIX_INDEX_PROCESSOR, () -> new PrefixIndexProcessor(config.prefixPublishInterval(),
                config.prefixTtl(), config.prefixMaxBlocksPerEndpoint(), metrics), DECISIONS_SOURCE);
        topology.addSink(PREFIX_INDEX_SINK, config.prefixIndexTopic(), Serdes.String().serializer(),
                new JsonSerde<>(PrefixIndexSnapshot.class), PREFIX_INDEX_PROCESSOR);
        // In memory (restored from its changelog) and cached: a routed decision carries up to 256 block hashes,
        // and a hot shared prefix is re-routed many times per commit interval; the cache folds those writes into
        // one changelog record per block and commit instead of one per block and decision.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PREFIX_INDEX_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), PREFIX_INDEX_PROCESSOR);

        topology.addProcessor(POOL_STATS_PROCESSOR, () -> new PoolStatsProcessor(config, metrics), DECISIONS_SOURCE,
                OUTCOMES_SOURCE);
        topology.addSink(POOL_STATS_SINK, config.topicNames().poolStats(), Serdes.String().serializer(),
                new JsonSerde<>(PoolStatsReport.class), POOL_STATS_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POOL_STATS_STORE),
                Serdes.String(), new JsonSerde<>(PoolStatsWindow.class)), POOL_STATS_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POOL_STATS_REQUESTS_STORE),
                Serdes.String(), new JsonSerde<>(RequestModel.class)), POOL_STATS_PROCESSOR);
        return topology;
    }
}
