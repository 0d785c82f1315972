package dev.osprey.aggregator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.kafka.TopicProvisioner;

/**
 * The complete, validated configuration of one aggregator instance. Immutable and thread-safe.
 *
 * <p>Every setting has a key constant, a default and a doc string in {@link #definitions()}; {@link #fromMap}
 * rejects unknown keys and bad values with an {@link IllegalArgumentException} whose message starts with the key.
 * The {@code with...} methods return a re-validated copy.
 *
 * @param stateDir the Kafka Streams state directory, or empty for {@link #stateDirectory() the derived default}
 * @param applicationServer {@code host:port} advertised for interactive queries, where the query API listens
 *     (port 0 picks a free port); empty disables the query API
 */
public record AggregatorConfig(String applicationId, String bootstrapServers, String schemaRegistryUrl,
        String topicPrefix, String cluster, String stateDir, Duration emitInterval, Duration stalenessThreshold,
        Duration endpointExpiry, Duration sweepInterval, int numStreamThreads,
        ProcessingGuarantee processingGuarantee, Duration commitInterval, int topicPartitions,
        short topicReplicationFactor, String applicationServer, Duration inflightTimeout, Duration shutdownTimeout,
        Duration queryTimeout, int numStandbyReplicas, Duration prefixTtl, int prefixMaxBlocksPerEndpoint,
        Duration prefixPublishInterval, Duration ttftSlo, Duration latencySlo, Duration statsGrace) {

    /** Common prefix of every key. */
    public static final String PREFIX = "osprey.aggregator.";
    public static final String APPLICATION_ID = PREFIX + "application.id";
    public static final String BOOTSTRAP_SERVERS = PREFIX + "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = PREFIX + "schema.registry.url";
    public static final String TOPIC_PREFIX = PREFIX + "topic.prefix";
    public static final String CLUSTER = PREFIX + "cluster";
    public static final String STATE_DIR = PREFIX + "state.dir";
    public static final String EMIT_INTERVAL_MS = PREFIX + "emit.interval.ms";
    public static final String STALENESS_THRESHOLD_MS = PREFIX + "staleness.threshold.ms";
    public static final String ENDPOINT_EXPIRY_MS = PREFIX + "endpoint.expiry.ms";
    public static final String SWEEP_INTERVAL_MS = PREFIX + "sweep.interval.ms";
    public static final String NUM_STREAM_THREADS = PREFIX + "num.stream.threads";
    public static final String PROCESSING_GUARANTEE = PREFIX + "processing.guarantee";
    public static final String COMMIT_INTERVAL_MS = PREFIX + "commit.interval.ms";
    public static final String TOPIC_PARTITIONS = PREFIX + "topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = PREFIX + "topic.replication.factor";
    public static final String APPLICATION_SERVER = PREFIX + "application.server";
    public static final String INFLIGHT_TIMEOUT_MS = PREFIX + "inflight.timeout.ms";
    public static final String SHUTDOWN_TIMEOUT_MS = PREFIX + "shutdown.timeout.ms";
    public static final String QUERY_TIMEOUT_MS = PREFIX + "query.timeout.ms";
    public static final String NUM_STANDBY_REPLICAS = PREFIX + "num.standby.replicas";
    public static final String PREFIX_TTL_MS = PREFIX + "prefix.ttl.ms";
    public static final String PREFIX_MAX_BLOCKS_PER_ENDPOINT = PREFIX + "prefix.max.blocks.per.endpoint";
    public static final String PREFIX_PUBLISH_INTERVAL_MS = PREFIX + "prefix.publish.interval.ms";
    public static final String SLO_TTFT_MS = PREFIX + "slo.ttft.ms";
    public static final String SLO_LATENCY_MS = PREFIX + "slo.latency.ms";
    public static final String STATS_GRACE_MS = PREFIX + "stats.grace.ms";

    /**
     * Default commit interval: bounds how long read_committed consumers wait for output under exactly_once_v2. Each
     * commit blocks the stream thread for a few broker round trips (7-10 ms on the benchmark machine), and samples
     * arriving meanwhile wait: at 100 ms that was 7-9 % of the time, the largest part of the scrape-to-PoolState p99
     * and the bound of one stream thread's throughput; 500 ms halved the p99 at 20 k samples/s and let one thread
     * sustain 100 k samples/s (docs/benchmarks/aggregator.md). The EPP reads PoolState uncommitted, so it does not wait
     * for commits.
     */
    static final String DEFAULT_COMMIT_INTERVAL_MS = "500";

    private static final List<ConfigKey> DEFINITIONS = List.of(
            ConfigKey.optional(APPLICATION_ID, "osprey-aggregator",
                    "Kafka Streams application id: the consumer group and the prefix of internal topics."),
            ConfigKey.required(BOOTSTRAP_SERVERS, "Kafka bootstrap servers, host:port[,host:port...]."),
            ConfigKey.optional(SCHEMA_REGISTRY_URL, "mock://osprey",
                    "Schema registry: http(s)://... for a Confluent-compatible registry, mock://<scope> in-memory."),
            ConfigKey.optional(TOPIC_PREFIX, "osprey.", "Prefix of every Osprey topic name (osprey.pool-state...)."),
            ConfigKey.optional(CLUSTER, "local", "Cluster name written into every PoolState."),
            ConfigKey.optional(STATE_DIR, "",
                    "Kafka Streams state directory; empty means <java.io.tmpdir>/osprey-aggregator/<application id>."),
            ConfigKey.optional(EMIT_INTERVAL_MS, "10",
                    "A pool's PoolState is produced at most once per interval; a change after a quiet interval is"
                            + " produced at once, changes within it by a wall-clock punctuator. 0 emits every change."),
            ConfigKey.optional(STALENESS_THRESHOLD_MS, "200",
                    "Metrics older than this when a PoolState is produced mark the endpoint STALE."),
            ConfigKey.optional(ENDPOINT_EXPIRY_MS, "30000",
                    "An endpoint without a new sample for this long is dropped from its pool."),
            ConfigKey.optional(SWEEP_INTERVAL_MS, "100",
                    "Period of the wall-clock sweeps that expire silent endpoints and overdue in-flight requests and"
                            + " republish pools whose endpoints turned stale."),
            ConfigKey.optional(NUM_STREAM_THREADS, "1", "Kafka Streams threads of this instance."),
            ConfigKey.optional(PROCESSING_GUARANTEE, ProcessingGuarantee.EXACTLY_ONCE_V2.configValue(),
                    "Kafka Streams processing guarantee: exactly_once_v2 or at_least_once."),
            ConfigKey.optional(COMMIT_INTERVAL_MS, DEFAULT_COMMIT_INTERVAL_MS,
                    "Kafka Streams commit interval. Under exactly_once_v2 it is the transaction length: read_committed"
                            + " consumers see output at most this much later (read_uncommitted ones, like the EPP, at"
                            + " once)."),
            ConfigKey.optional(TOPIC_PARTITIONS, "3", "Partitions of Osprey topics created when missing."),
            ConfigKey.optional(TOPIC_REPLICATION_FACTOR, "1", "Replication factor of topics created when missing."),
            ConfigKey.optional(APPLICATION_SERVER, "",
                    "host:port this instance advertises for interactive queries and where its HTTP query API"
                            + " listens (port 0 picks a free one); empty disables the query API."),
            ConfigKey.optional(INFLIGHT_TIMEOUT_MS, "300000",
                    "A routed request without an outcome for this long no longer counts as in flight."),
            ConfigKey.optional(SHUTDOWN_TIMEOUT_MS, "10000", "Upper bound of a graceful close."),
            ConfigKey.optional(QUERY_TIMEOUT_MS, "5000",
                    "How long a query may wait for its pool's owner to be known and reachable (retrying through"
                            + " rebalances) before answering 503."),
            ConfigKey.optional(NUM_STANDBY_REPLICAS, "0",
                    "Kafka Streams standby replicas per task: warm copies of the stores on other instances, so a"
                            + " failover does not wait for a changelog restore."),
            ConfigKey.optional(PREFIX_TTL_MS, "300000",
                    "A prompt-prefix block hash routed to an endpoint is forgotten this long after it was last"
                            + " routed there."),
            ConfigKey.optional(PREFIX_MAX_BLOCKS_PER_ENDPOINT, "4096",
                    "At most this many block hashes are remembered per endpoint; the least recently routed go"
                            + " first."),
            ConfigKey.optional(PREFIX_PUBLISH_INTERVAL_MS, "1000",
                    "Pools whose prefix index changed are published to the prefix-index topic at most once per"
                            + " interval (also the period of the TTL sweep). Each publication is the pool's whole"
                            + " picture (up to max.blocks.per.endpoint hashes per endpoint), so keep it in seconds;"
                            + " every EPP replica records its own routing at once."),
            ConfigKey.optional(SLO_TTFT_MS, "1000",
                    "Time-to-first-token objective for the SLO attainment in pool-stats."),
            ConfigKey.optional(SLO_LATENCY_MS, "20000",
                    "End-to-end latency objective for the SLO attainment in pool-stats."),
            ConfigKey.optional(STATS_GRACE_MS, "5000",
                    "A one-minute pool-stats window is emitted this long (wall clock) after it ends; later events"
                            + " for it are dropped and counted."));

    private static final Pattern TOPIC_CHARS = Pattern.compile("[a-zA-Z0-9._-]*");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^:\\[\\]]+):(\\d{1,5})");

    public AggregatorConfig {
        requireText(APPLICATION_ID, applicationId);
        if (!TOPIC_CHARS.matcher(applicationId).matches()) {
            throw new IllegalArgumentException(APPLICATION_ID + ": only letters, digits, '.', '_' and '-' allowed, got '"
                    + applicationId + "'");
        }
        requireText(BOOTSTRAP_SERVERS, bootstrapServers);
        requireText(SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        if (!(schemaRegistryUrl.startsWith("mock://") || schemaRegistryUrl.startsWith("http://")
                || schemaRegistryUrl.startsWith("https://"))) {
            throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + ": must start with mock://, http:// or https://,"
                    + " got '" + schemaRegistryUrl + "'");
        }
        Objects.requireNonNull(topicPrefix, TOPIC_PREFIX);
        if (!TOPIC_CHARS.matcher(topicPrefix).matches()) {
            throw new IllegalArgumentException(TOPIC_PREFIX + ": only letters, digits, '.', '_' and '-' allowed, got '"
                    + topicPrefix + "'");
        }
        requireText(CLUSTER, cluster);
        Objects.requireNonNull(stateDir, STATE_DIR);
        requireAtLeast(EMIT_INTERVAL_MS, emitInterval, 0);
        requireAtLeast(STALENESS_THRESHOLD_MS, stalenessThreshold, 1);
        requireAtLeast(ENDPOINT_EXPIRY_MS, endpointExpiry, 1);
        requireAtLeast(SWEEP_INTERVAL_MS, sweepInterval, 1);
        if (numStreamThreads < 1) {
            throw new IllegalArgumentException(NUM_STREAM_THREADS + ": must be at least 1, got " + numStreamThreads);
        }
        Objects.requireNonNull(processingGuarantee, PROCESSING_GUARANTEE);
        requireAtLeast(COMMIT_INTERVAL_MS, commitInterval, 1);
        if (topicPartitions < 1) {
            throw new IllegalArgumentException(TOPIC_PARTITIONS + ": must be at least 1, got " + topicPartitions);
        }
        if (topicReplicationFactor < 1) {
            throw new IllegalArgumentException(TOPIC_REPLICATION_FACTOR + ": must be at least 1, got "
                    + topicReplicationFactor);
        }
        Objects.requireNonNull(applicationServer, APPLICATION_SERVER);
        if (!applicationServer.isEmpty()) {
            var matcher = HOST_PORT.matcher(applicationServer);
            if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65535) {
                throw new IllegalArgumentException(APPLICATION_SERVER + ": expected host:port, got '"
                        + applicationServer + "'");
            }
        }
        requireAtLeast(INFLIGHT_TIMEOUT_MS, inflightTimeout, 1);
        requireAtLeast(SHUTDOWN_TIMEOUT_MS, shutdownTimeout, 1);
        requireAtLeast(QUERY_TIMEOUT_MS, queryTimeout, 1);
        if (numStandbyReplicas < 0) {
            throw new IllegalArgumentException(NUM_STANDBY_REPLICAS + ": must be at least 0, got "
                    + numStandbyReplicas);
        }
        requireAtLeast(PREFIX_TTL_MS, prefixTtl, 1);
        if (prefixMaxBlocksPerEndpoint < 1) {
            throw new IllegalArgumentException(PREFIX_MAX_BLOCKS_PER_ENDPOINT + ": must be at least 1, got "
                    + prefixMaxBlocksPerEndpoint);
        }
        requireAtLeast(PREFIX_PUBLISH_INTERVAL_MS, prefixPublishInterval, 1);
        requireAtLeast(SLO_TTFT_MS, ttftSlo, 1);
        requireAtLeast(SLO_LATENCY_MS, latencySlo, 1);
        requireAtLeast(STATS_GRACE_MS, statsGrace, 0);
    }

    /** Every setting with its default and documentation, in a stable order. */
    public static List<ConfigKey> definitions() {
        return DEFINITIONS;
    }

    /** The defaults, with the one required setting. */
    public static AggregatorConfig defaults(String bootstrapServers) {
        return fromMap(Map.of(BOOTSTRAP_SERVERS, bootstrapServers));
    }

    /**
     * Parses and validates {@code settings}; absent keys take their defaults.
     *
     * @throws IllegalArgumentException whose message starts with the key that is unknown, missing or invalid
     */
    public static AggregatorConfig fromMap(Map<String, String> settings) {
        ConfigReader reader = new ConfigReader(settings, DEFINITIONS);
        int replication = reader.integer(TOPIC_REPLICATION_FACTOR);
        if (replication < 1 || replication > Short.MAX_VALUE) {
            throw new IllegalArgumentException(TOPIC_REPLICATION_FACTOR + ": must be between 1 and " + Short.MAX_VALUE
                    + ", got " + replication);
        }
        return new AggregatorConfig(reader.nonBlank(APPLICATION_ID), reader.nonBlank(BOOTSTRAP_SERVERS),
                reader.nonBlank(SCHEMA_REGISTRY_URL), reader.string(TOPIC_PREFIX), reader.nonBlank(CLUSTER),
                reader.string(STATE_DIR), reader.millis(EMIT_INTERVAL_MS), reader.millis(STALENESS_THRESHOLD_MS),
                reader.millis(ENDPOINT_EXPIRY_MS), reader.millis(SWEEP_INTERVAL_MS), reader.integer(NUM_STREAM_THREADS),
                reader.parsed(PROCESSING_GUARANTEE, ProcessingGuarantee::parse), reader.millis(COMMIT_INTERVAL_MS),
                reader.integer(TOPIC_PARTITIONS), (short) replication, reader.string(APPLICATION_SERVER),
                reader.millis(INFLIGHT_TIMEOUT_MS), reader.millis(SHUTDOWN_TIMEOUT_MS), reader.millis(QUERY_TIMEOUT_MS),
                reader.integer(NUM_STANDBY_REPLICAS), reader.millis(PREFIX_TTL_MS),
                reader.integer(PREFIX_MAX_BLOCKS_PER_ENDPOINT), reader.millis(PREFIX_PUBLISH_INTERVAL_MS),
                reader.millis(SLO_TTFT_MS), reader.millis(SLO_LATENCY_MS), reader.millis(STATS_GRACE_MS));
    }

    /** Every setting as text, such that {@code fromMap(toMap())} equals this configuration. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(APPLICATION_ID, applicationId);
        map.put(BOOTSTRAP_SERVERS, bootstrapServers);
        map.put(SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        map.put(TOPIC_PREFIX, topicPrefix);
        map.put(CLUSTER, cluster);
        map.put(STATE_DIR, stateDir);
        map.put(EMIT_INTERVAL_MS, String.valueOf(emitInterval.toMillis()));
        map.put(STALENESS_THRESHOLD_MS, String.valueOf(stalenessThreshold.toMillis()));
        map.put(ENDPOINT_EXPIRY_MS, String.valueOf(endpointExpiry.toMillis()));
        map.put(SWEEP_INTERVAL_MS, String.valueOf(sweepInterval.toMillis()));
        map.put(NUM_STREAM_THREADS, String.valueOf(numStreamThreads));
        map.put(PROCESSING_GUARANTEE, processingGuarantee.configValue());
        map.put(COMMIT_INTERVAL_MS, String.valueOf(commitInterval.toMillis()));
        map.put(TOPIC_PARTITIONS, String.valueOf(topicPartitions));
        map.put(TOPIC_REPLICATION_FACTOR, String.valueOf(topicReplicationFactor));
        map.put(APPLICATION_SERVER, applicationServer);
        map.put(INFLIGHT_TIMEOUT_MS, String.valueOf(inflightTimeout.toMillis()));
        map.put(SHUTDOWN_TIMEOUT_MS, String.valueOf(shutdownTimeout.toMillis()));
        map.put(QUERY_TIMEOUT_MS, String.valueOf(queryTimeout.toMillis()));
        map.put(NUM_STANDBY_REPLICAS, String.valueOf(numStandbyReplicas));
        map.put(PREFIX_TTL_MS, String.valueOf(prefixTtl.toMillis()));
        map.put(PREFIX_MAX_BLOCKS_PER_ENDPOINT, String.valueOf(prefixMaxBlocksPerEndpoint));
        map.put(PREFIX_PUBLISH_INTERVAL_MS, String.valueOf(prefixPublishInterval.toMillis()));
        map.put(SLO_TTFT_MS, String.valueOf(ttftSlo.toMillis()));
        map.put(SLO_LATENCY_MS, String.valueOf(latencySlo.toMillis()));
        map.put(STATS_GRACE_MS, String.valueOf(statsGrace.toMillis()));
        return map;
    }

    /**
     * A copy with one setting replaced, validated like {@link #fromMap}.
     *
     * @throws IllegalArgumentException naming {@code key} when it is unknown or {@code value} is invalid
     */
    public AggregatorConfig with(String key, String value) {
        Map<String, String> map = toMap();
        if (!map.containsKey(key)) {
            throw new IllegalArgumentException(key + ": unknown configuration key");
        }
        map.put(key, value);
        return fromMap(map);
    }

    public AggregatorConfig withApplicationId(String value) {
        return with(APPLICATION_ID, value);
    }

    public AggregatorConfig withSchemaRegistryUrl(String value) {
        return with(SCHEMA_REGISTRY_URL, value);
    }

    public AggregatorConfig withTopicPrefix(String value) {
        return with(TOPIC_PREFIX, value);
    }

    public AggregatorConfig withCluster(String value) {
        return with(CLUSTER, value);
    }

    public AggregatorConfig withStateDir(Path value) {
        return with(STATE_DIR, value.toString());
    }

    public AggregatorConfig withEmitInterval(Duration value) {
        return with(EMIT_INTERVAL_MS, String.valueOf(value.toMillis()));
    }

    public AggregatorConfig withStalenessThreshold(Duration value) {
        return with(STALENESS_THRESHOLD_MS, String.valueOf(value.toMillis()));
    }

    public AggregatorConfig withEndpointExpiry(Duration value) {
        return with(ENDPOINT_EXPIRY_MS, String.valueOf(value.toMillis()));
    }

    public AggregatorConfig withSweepInterval(Duration value) {
        return with(SWEEP_INTERVAL_MS, String.valueOf(value.toMillis()));
    }

    public AggregatorConfig withNumStreamThreads(int value) {
        return with(NUM_STREAM_THREADS, String.valueOf(value));
    }

    public AggregatorConfig withProcessingGuarantee(ProcessingGuarantee value) {
        return with(PROCESSING_GUARANTEE, value.configValue());
    }

    public AggregatorConfig withCommitInterval(Duration value) {
        return with(COMMIT_INTERVAL_MS, String.valueOf(value.toMillis()));
    }

    public AggregatorConfig withTopicLayout(int partitions, short replicationFactor) {
        return with(TOPIC_PARTITIONS, String.valueOf(partitions))
                .with(TOPIC_REPLICATION_FACTOR, String.valueOf(replicationFactor));
    }

    public AggregatorConfig withApplicationServer(String hostAndPort) {
        return with(APPLICATION_SERVER, hostAndPort);
    }

    public AggregatorConfig withInflightTimeout(Duration value) {
        return with(INFLIGHT_TIMEOUT_MS, String.valueOf(value.toMillis()));
    }

    public AggregatorConfig withShutdownTimeout(Duration value) {
        return with(SHUTDOWN_TIMEOUT_MS, String.valueOf(value.toMillis()));
    }

    public AggregatorConfig withQueryTimeout(Duration value) {
        return with(QUERY_TIMEOUT_MS, String.valueOf(value.toMillis()));
    }

    public AggregatorConfig withNumStandbyReplicas(int value) {
        return with(NUM_STANDBY_REPLICAS, String.valueOf(value));
    }

    public AggregatorConfig withPrefixIndex(Duration ttl, int maxBlocksPerEndpoint, Duration publishInterval) {
        return with(PREFIX_TTL_MS, String.valueOf(ttl.toMillis()))
                .with(PREFIX_MAX_BLOCKS_PER_ENDPOINT, String.valueOf(maxBlocksPerEndpoint))
                .with(PREFIX_PUBLISH_INTERVAL_MS, String.valueOf(publishInterval.toMillis()));
    }

    public AggregatorConfig withSlos(Duration ttft, Duration latency) {
        return with(SLO_TTFT_MS, String.valueOf(ttft.toMillis())).with(SLO_LATENCY_MS, String.valueOf(latency.toMillis()));
    }

    public AggregatorConfig withStatsGrace(Duration value) {
        return with(STATS_GRACE_MS, String.valueOf(value.toMillis()));
    }

    /** The name of the compacted prefix-index topic: {@code <topic prefix>prefix-index}. */
    public String prefixIndexTopic() {
        return topicPrefix + "prefix-index";
    }

    /** The state directory: {@link #stateDir()} when set, else {@code <java.io.tmpdir>/osprey-aggregator/<id>}. */
    public Path stateDirectory() {
        return stateDir.isEmpty()
                ? Path.of(System.getProperty("java.io.tmpdir"), "osprey-aggregator", applicationId)
                : Path.of(stateDir);
    }

    /** The topic names under {@link #topicPrefix()}. */
    public TopicNames topicNames() {
        return TopicNames.withPrefix(topicPrefix);
    }

    /** The layout of topics created when missing. */
    public TopicProvisioner.Layout topicLayout() {
        return new TopicProvisioner.Layout(topicPartitions, topicReplicationFactor);
    }

    /** Whether the HTTP query API runs on this instance. */
    public boolean queryApiEnabled() {
        return !applicationServer.isEmpty();
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + ": must not be blank");
        }
    }

    private static void requireAtLeast(String key, Duration value, long minMillis) {
        Objects.requireNonNull(value, key);
        if (value.toMillis() < minMillis) {
            throw new IllegalArgumentException(key + ": must be at least " + minMillis + " ms, got " + value.toMillis());
        }
    }
}
