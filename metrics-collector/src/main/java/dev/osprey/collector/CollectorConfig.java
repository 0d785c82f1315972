package dev.osprey.collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import dev.osprey.collector.discovery.ShardedEndpointSource;
import dev.osprey.collector.parse.EngineMapping;
import dev.osprey.collector.parse.EngineType;
import dev.osprey.collector.parse.MappingOverride;
import dev.osprey.schemas.kafka.TopicNames;

/**
 * The collector's complete, validated configuration. Every key lives under {@value #PREFIX}, has a constant here,
 * a default and a doc string ({@link #definitions()}). Built from a flat string map ({@link #fromMap}) or in code
 * ({@link #builder}); either way the canonical constructor validates every value and names the offending key.
 *
 * @param cluster cluster name put into every record and id
 * @param collectorId this replica's id, put into every metrics record
 * @param bootstrapServers Kafka bootstrap servers
 * @param schemaRegistryUrl {@code mock://scope} or {@code http(s)://} schema registry
 * @param topicPrefix prefix of every topic name ({@link TopicNames#withPrefix})
 * @param scrapeInterval time between two scrapes of one endpoint
 * @param scrapeTimeout limit for one whole scrape: connect, headers and body
 * @param maxConcurrentScrapes scrapes in flight at once across all endpoints
 * @param metricsPath HTTP path of the metrics page
 * @param scrapeJitter fraction of the interval by which each tick is randomly shifted
 * @param maxPageBytes larger metric pages are abandoned as parse errors
 * @param ioThreads threads that complete HTTP exchanges and parse pages
 * @param discoveryInterval how often the endpoint source is polled for changes
 * @param lingerMs Kafka producer {@code linger.ms}
 * @param closeTimeout how long {@code close()} waits for pending records
 * @param publishMembership whether endpoint membership goes to the compacted endpoints topic
 * @param discoveryPools {@code namespace/name} of the pools whose endpoints are scraped; empty for every pool
 * @param shards number of shards endpoints are split into across replicas (Kafka group protocol); 0 disables sharding
 * @param shardSessionTimeout how long a silent replica keeps its shards before the group reassigns them
 * @param mappingOverrides per engine, a {@link MappingOverride} string replacing some built-in metric names
 * @param metricsPort port of the collector's own Prometheus {@code /metrics} page when run by {@link Main}
 *     (0 = ephemeral, -1 = not served)
 */
public record CollectorConfig(String cluster, String collectorId, String bootstrapServers, String schemaRegistryUrl,
        String topicPrefix, Duration scrapeInterval, Duration scrapeTimeout, int maxConcurrentScrapes,
        String metricsPath, double scrapeJitter, int maxPageBytes, int ioThreads, Duration discoveryInterval,
        int lingerMs, Duration closeTimeout, boolean publishMembership, Set<String> discoveryPools,
        int shards, Duration shardSessionTimeout, Map<EngineType, String> mappingOverrides, int metricsPort) {

    /** Every key starts with this. */
    public static final String PREFIX = "osprey.collector.";
    public static final String CLUSTER = PREFIX + "cluster";
    public static final String COLLECTOR_ID = PREFIX + "collector-id";
    public static final String BOOTSTRAP_SERVERS = PREFIX + "kafka.bootstrap-servers";
    public static final String SCHEMA_REGISTRY_URL = PREFIX + "schema-registry.url";
    public static final String TOPIC_PREFIX = PREFIX + "topic-prefix";
    public static final String SCRAPE_INTERVAL = PREFIX + "scrape.interval";
    public static final String SCRAPE_TIMEOUT = PREFIX + "scrape.timeout";
    public static final String MAX_CONCURRENT_SCRAPES = PREFIX + "scrape.max-concurrent";
    public static final String METRICS_PATH = PREFIX + "scrape.metrics-path";
    public static final String SCRAPE_JITTER = PREFIX + "scrape.jitter";
    public static final String MAX_PAGE_BYTES = PREFIX + "scrape.max-page-bytes";
    public static final String IO_THREADS = PREFIX + "scrape.io-threads";
    public static final String METRICS_PORT = PREFIX + "metrics-port";
    public static final String DISCOVERY_INTERVAL = PREFIX + "discovery.interval";
    public static final String LINGER_MS = PREFIX + "kafka.linger-ms";
    public static final String CLOSE_TIMEOUT = PREFIX + "close-timeout";
    public static final String PUBLISH_MEMBERSHIP = PREFIX + "membership.enabled";
    public static final String DISCOVERY_POOLS = PREFIX + "discovery.pools";
    public static final String SHARDS = PREFIX + "sharding.shards";
    public static final String SHARD_SESSION_TIMEOUT = PREFIX + "sharding.session-timeout";

    /** The key overriding the metric names of {@code engine}: {@code osprey.collector.engine.<label>.mapping}. */
    public static String mappingKey(EngineType engine) {
        return PREFIX + "engine." + engine.label() + ".mapping";
    }

    private static final String REQUIRED = "required";

    /** One key: its documentation, the default applied by the builder, and how a string value is applied. */
    private record Setting(ConfigKey key, String effectiveDefault, BiConsumer<Builder, String> apply) {
    }

    private static final List<Setting> SETTINGS = List.of(
            setting(CLUSTER, "local", "Cluster name; first segment of pool and endpoint ids and put into every record.",
                    (b, v) -> b.cluster(v.trim())),
            new Setting(new ConfigKey(COLLECTOR_ID, "$HOSTNAME, else collector-0",
                    "Id of this collector replica, written into every EndpointMetrics record."),
                    defaultCollectorId(), (b, v) -> b.collectorId(v.trim())),
            setting(BOOTSTRAP_SERVERS, REQUIRED, "Kafka bootstrap servers (host:port list).",
                    (b, v) -> b.bootstrapServers(v.trim())),
            setting(SCHEMA_REGISTRY_URL, "mock://osprey",
                    "Schema registry: mock://<scope> for the in-process registry, or an http(s) Confluent-compatible URL.",
                    (b, v) -> b.schemaRegistryUrl(v.trim())),
            setting(TOPIC_PREFIX, "osprey.", "Prefix of every topic name (osprey.endpoint-metrics, osprey.endpoints).",
                    (b, v) -> b.topicPrefix(v.trim())),
            setting(SCRAPE_INTERVAL, "50ms", "Time between two scrapes of one endpoint (50ms, 1s or ISO-8601).",
                    (b, v) -> b.scrapeInterval(ConfigValues.duration(SCRAPE_INTERVAL, v))),
            setting(SCRAPE_TIMEOUT, "1s", "Limit for one whole scrape (connect, headers and body); then status TIMEOUT.",
                    (b, v) -> b.scrapeTimeout(ConfigValues.duration(SCRAPE_TIMEOUT, v))),
            setting(MAX_CONCURRENT_SCRAPES, "256",
                    "Scrapes in flight at once across all endpoints; a tick finding no free slot is skipped and counted.",
                    (b, v) -> b.maxConcurrentScrapes(ConfigValues.integer(MAX_CONCURRENT_SCRAPES, v))),
            setting(METRICS_PATH, "/metrics", "HTTP path of the Prometheus page on every endpoint.",
                    (b, v) -> b.metricsPath(v.trim())),
            setting(SCRAPE_JITTER, "0.1",
                    "Each tick is shifted by a random amount up to this fraction of the interval (0 to 0.5).",
                    (b, v) -> b.scrapeJitter(ConfigValues.decimal(SCRAPE_JITTER, v))),
            setting(MAX_PAGE_BYTES, "4194304", "A metrics page larger than this many bytes is a PARSE_ERROR.",
                    (b, v) -> b.maxPageBytes(ConfigValues.integer(MAX_PAGE_BYTES, v))),
            setting(IO_THREADS, "2", "Threads completing HTTP exchanges and parsing pages.",
                    (b, v) -> b.ioThreads(ConfigValues.integer(IO_THREADS, v))),
            setting(DISCOVERY_INTERVAL, "1s", "How often the endpoint source is polled for added or removed endpoints.",
                    (b, v) -> b.discoveryInterval(ConfigValues.duration(DISCOVERY_INTERVAL, v))),
            setting(LINGER_MS, "1", "Kafka producer linger.ms (0 to 5; metrics are worth more fresh than batched).",
                    (b, v) -> b.lingerMs(ConfigValues.integer(LINGER_MS, v))),
            setting(CLOSE_TIMEOUT, "5s", "How long close() waits to publish pending records before giving up.",
                    (b, v) -> b.closeTimeout(ConfigValues.duration(CLOSE_TIMEOUT, v))),
            setting(PUBLISH_MEMBERSHIP, "true",
                    "Publish EndpointMembership (and tombstones on removal) to the compacted endpoints topic.",
                    (b, v) -> b.publishMembership(ConfigValues.bool(PUBLISH_MEMBERSHIP, v))),
            new Setting(new ConfigKey(DISCOVERY_POOLS, "(empty: every pool)",
                    "Comma-separated namespace/name of the InferencePools whose endpoints are scraped (file and"
                            + " Kubernetes discovery)."),
                    "", (b, v) -> b.discoveryPools(ConfigValues.poolList(DISCOVERY_POOLS, v))),
            setting(SHARDS, "0",
                    "Split endpoints across collector replicas into this many shards (partitions of the"
                            + " <topic-prefix>collector-shards topic, consumer group <topic-prefix>collector-<cluster>);"
                            + " each replica scrapes only its shards' endpoints. 0 = no sharding.",
                    (b, v) -> b.shards(ConfigValues.integer(SHARDS, v))),
            setting(SHARD_SESSION_TIMEOUT, "10s",
                    "With sharding: how long a silent (crashed) replica keeps its shards before the others take them.",
                    (b, v) -> b.shardSessionTimeout(ConfigValues.duration(SHARD_SESSION_TIMEOUT, v))),
            setting(METRICS_PORT, "9091",
                    "Port of the collector's own Prometheus /metrics page served by the standalone Main (0 ="
                            + " ephemeral, -1 = not served).",
                    (b, v) -> b.metricsPort(ConfigValues.integer(METRICS_PORT, v))),
            mapping(EngineType.VLLM), mapping(EngineType.SGLANG), mapping(EngineType.TRTLLM_SERVE),
            mapping(EngineType.TRITON));

    public CollectorConfig {
        requireText(CLUSTER, cluster);
        if (cluster.contains("/")) {
            throw ConfigValues.invalid(CLUSTER, cluster, "a name without '/'");
        }
        requireText(COLLECTOR_ID, collectorId);
        requireText(BOOTSTRAP_SERVERS, bootstrapServers);
        requireText(SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        if (!schemaRegistryUrl.startsWith("mock://") && !schemaRegistryUrl.startsWith("http://")
                && !schemaRegistryUrl.startsWith("https://")) {
            throw ConfigValues.invalid(SCHEMA_REGISTRY_URL, schemaRegistryUrl, "mock://, http:// or https:// URL");
        }
        if (topicPrefix == null || topicPrefix.chars().anyMatch(Character::isWhitespace)) {
            throw ConfigValues.invalid(TOPIC_PREFIX, topicPrefix, "a prefix without whitespace");
        }
        requirePositive(SCRAPE_INTERVAL, scrapeInterval);
        requirePositive(SCRAPE_TIMEOUT, scrapeTimeout);
        requireRange(MAX_CONCURRENT_SCRAPES, maxConcurrentScrapes, 1, 65_536);
        requireText(METRICS_PATH, metricsPath);
        if (!metricsPath.startsWith("/")) {
            throw ConfigValues.invalid(METRICS_PATH, metricsPath, "a path starting with '/'");
        }
        if (!(scrapeJitter >= 0 && scrapeJitter <= 0.5)) {
            throw ConfigValues.invalid(SCRAPE_JITTER, scrapeJitter, "a fraction from 0 to 0.5");
        }
        requireRange(MAX_PAGE_BYTES, maxPageBytes, 1024, Integer.MAX_VALUE - 16);
        requireRange(IO_THREADS, ioThreads, 1, 64);
        requirePositive(DISCOVERY_INTERVAL, discoveryInterval);
        requireRange(LINGER_MS, lingerMs, 0, 5);
        if (closeTimeout == null || closeTimeout.isNegative()) {
            throw ConfigValues.invalid(CLOSE_TIMEOUT, closeTimeout, "a non-negative duration");
        }
        if (discoveryPools == null) {
            throw ConfigValues.invalid(DISCOVERY_POOLS, null, "a list of namespace/name");
        }
        discoveryPools = Set.copyOf(new TreeSet<>(discoveryPools));
        requireRange(SHARDS, shards, 0, 10_000);
        requirePositive(SHARD_SESSION_TIMEOUT, shardSessionTimeout);
        requireRange(METRICS_PORT, metricsPort, -1, 65_535);
        if (mappingOverrides == null) {
            throw ConfigValues.invalid(mappingKey(EngineType.VLLM), null, "a mapping override or empty");
        }
        Map<EngineType, String> overrides = new EnumMap<>(EngineType.class);
        mappingOverrides.forEach((engine, spec) -> {
            if (spec != null && !spec.isBlank()) {
                MappingOverride.apply(EngineMapping.builtIn(engine), mappingKey(engine), spec);
                overrides.put(engine, spec.trim());
            }
        });
        mappingOverrides = Collections.unmodifiableMap(overrides);
        for (String pool : discoveryPools) {
            ConfigValues.poolList(DISCOVERY_POOLS, pool);
        }
    }

    /** The documentation of every key, in a stable order, for generating the configuration reference. */
    public static List<ConfigKey> definitions() {
        List<ConfigKey> keys = new ArrayList<>(SETTINGS.size());
        SETTINGS.forEach(s -> keys.add(s.key()));
        return List.copyOf(keys);
    }

    /** Every default, with {@code bootstrapServers} as the only required value. */
    public static CollectorConfig defaults(String bootstrapServers) {
        return builder(bootstrapServers).build();
    }

    /** A builder preset with every default. */
    public static Builder builder(String bootstrapServers) {
        Builder builder = new Builder();
        for (Setting s : SETTINGS) {
            if (s.effectiveDefault() != null) {
                s.apply().accept(builder, s.effectiveDefault());
            }
        }
        return builder.bootstrapServers(bootstrapServers);
    }

    /**
     * Reads the {@value #PREFIX} keys of {@code properties}; other keys are ignored so one map can configure several
     * services.
     *
     * @throws IllegalArgumentException naming the key when a {@value #PREFIX} key is unknown, a value is invalid, or
     *     a required key is missing
     */
    public static CollectorConfig fromMap(Map<String, String> properties) {
        Map<String, Setting> byKey = new LinkedHashMap<>();
        SETTINGS.forEach(s -> byKey.put(s.key().key(), s));
        for (String key : properties.keySet()) {
            if (key.startsWith(PREFIX) && !byKey.containsKey(key)) {
                throw new IllegalArgumentException("unknown configuration key " + key + "; known keys: "
                        + byKey.keySet());
            }
        }
        String bootstrap = properties.get(BOOTSTRAP_SERVERS);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " is required");
        }
        Builder builder = builder(bootstrap.trim());
        for (Setting s : SETTINGS) {
            String value = properties.get(s.key().key());
            if (value != null) {
                s.apply().accept(builder, value);
            }
        }
        return builder.build();
    }

    /** This configuration as a flat map of every key, readable by {@link #fromMap}. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(CLUSTER, cluster);
        map.put(COLLECTOR_ID, collectorId);
        map.put(BOOTSTRAP_SERVERS, bootstrapServers);
        map.put(SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        map.put(TOPIC_PREFIX, topicPrefix);
        map.put(SCRAPE_INTERVAL, scrapeInterval.toString());
        map.put(SCRAPE_TIMEOUT, scrapeTimeout.toString());
        map.put(MAX_CONCURRENT_SCRAPES, String.valueOf(maxConcurrentScrapes));
        map.put(METRICS_PATH, metricsPath);
        map.put(SCRAPE_JITTER, String.valueOf(scrapeJitter));
        map.put(MAX_PAGE_BYTES, String.valueOf(maxPageBytes));
        map.put(IO_THREADS, String.valueOf(ioThreads));
        map.put(DISCOVERY_INTERVAL, discoveryInterval.toString());
        map.put(LINGER_MS, String.valueOf(lingerMs));
        map.put(CLOSE_TIMEOUT, closeTimeout.toString());
        map.put(PUBLISH_MEMBERSHIP, String.valueOf(publishMembership));
        map.put(DISCOVERY_POOLS, String.join(",", new TreeSet<>(discoveryPools)));
        map.put(SHARDS, String.valueOf(shards));
        map.put(SHARD_SESSION_TIMEOUT, shardSessionTimeout.toString());
        map.put(METRICS_PORT, String.valueOf(metricsPort));
        for (EngineType engine : EngineType.values()) {
            map.put(mappingKey(engine), mappingOverrides.getOrDefault(engine, ""));
        }
        return map;
    }

    /** The sharding settings of replica {@link #collectorId()}: topic and group derived from prefix and cluster. */
    public ShardedEndpointSource.Settings shardSettings() {
        return new ShardedEndpointSource.Settings(bootstrapServers, topicPrefix + "collector-shards", shards,
                topicPrefix + "collector-" + cluster, collectorId, shardSessionTimeout);
    }

    /** The mapping of every engine: built-in, with this configuration's overrides applied. */
    public Map<EngineType, EngineMapping> engineMappings() {
        Map<EngineType, EngineMapping> mappings = new EnumMap<>(EngineType.class);
        for (EngineType engine : EngineType.values()) {
            mappings.put(engine, MappingOverride.apply(EngineMapping.builtIn(engine), mappingKey(engine),
                    mappingOverrides.getOrDefault(engine, "")));
        }
        return mappings;
    }

    /** The topic names this configuration selects. */
    public TopicNames topicNames() {
        return TopicNames.withPrefix(topicPrefix);
    }

    /** A builder preset with this configuration's values. */
    public Builder toBuilder() {
        return new Builder().cluster(cluster).collectorId(collectorId).bootstrapServers(bootstrapServers)
                .schemaRegistryUrl(schemaRegistryUrl).topicPrefix(topicPrefix).scrapeInterval(scrapeInterval)
                .scrapeTimeout(scrapeTimeout).maxConcurrentScrapes(maxConcurrentScrapes).metricsPath(metricsPath)
                .scrapeJitter(scrapeJitter).maxPageBytes(maxPageBytes).ioThreads(ioThreads)
                .discoveryInterval(discoveryInterval).lingerMs(lingerMs).closeTimeout(closeTimeout)
                .publishMembership(publishMembership).discoveryPools(discoveryPools)
                .shards(shards).shardSessionTimeout(shardSessionTimeout).mappingOverrides(mappingOverrides)
                .metricsPort(metricsPort);
    }

    private static Setting setting(String key, String defaultValue, String doc, BiConsumer<Builder, String> apply) {
        return new Setting(new ConfigKey(key, defaultValue, doc), REQUIRED.equals(defaultValue) ? null : defaultValue,
                apply);
    }

    private static Setting mapping(EngineType engine) {
        String key = mappingKey(engine);
        return new Setting(new ConfigKey(key, "(empty: built-in names)",
                "Override " + engine.label() + " metric names per signal: signal=metric|metric{label=\"v\"}|metric#label;..."
                        + " (signals: waiting, running, kv-utilization, block-size, num-gpu-blocks,"
                        + " prefix-cache-queries, prefix-cache-hits, lora-info); listed signals replace the built-in"
                        + " selectors."), "", (b, v) -> b.mappingOverride(engine, v));
    }

    private static String defaultCollectorId() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "collector-0" : host.trim();
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw ConfigValues.invalid(key, value, "a non-blank value");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw ConfigValues.invalid(key, value, "a positive duration");
        }
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw ConfigValues.invalid(key, value, "an integer from " + min + " to " + max);
        }
    }

    /** Mutable, single-threaded builder; {@link #build()} validates. */
    public static final class Builder {
        private String cluster;
        private String collectorId;
        private String bootstrapServers;
        private String schemaRegistryUrl;
        private String topicPrefix;
        private Duration scrapeInterval;
        private Duration scrapeTimeout;
        private int maxConcurrentScrapes;
        private String metricsPath;
        private double scrapeJitter;
        private int maxPageBytes;
        private int ioThreads;
        private Duration discoveryInterval;
        private int lingerMs;
        private Duration closeTimeout;
        private boolean publishMembership;
        private Set<String> discoveryPools = Set.of();
        private int shards;
        private Duration shardSessionTimeout;
        private final Map<EngineType, String> mappingOverrides = new EnumMap<>(EngineType.class);
        private int metricsPort;

        private Builder() {
        }

        public Builder cluster(String v) { cluster = v; return this; }
        public Builder collectorId(String v) { collectorId = v; return this; }
        public Builder bootstrapServers(String v) { bootstrapServers = v; return this; }
        public Builder schemaRegistryUrl(String v) { schemaRegistryUrl = v; return this; }
        public Builder topicPrefix(String v) { topicPrefix = v; return this; }
        public Builder scrapeInterval(Duration v) { scrapeInterval = v; return this; }
        public Builder scrapeTimeout(Duration v) { scrapeTimeout = v; return this; }
        public Builder maxConcurrentScrapes(int v) { maxConcurrentScrapes = v; return this; }
        public Builder metricsPath(String v) { metricsPath = v; return this; }
        public Builder scrapeJitter(double v) { scrapeJitter = v; return this; }
        public Builder maxPageBytes(int v) { maxPageBytes = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder discoveryInterval(Duration v) { discoveryInterval = v; return this; }
        public Builder lingerMs(int v) { lingerMs = v; return this; }
        public Builder closeTimeout(Duration v) { closeTimeout = v; return this; }
        public Builder publishMembership(boolean v) { publishMembership = v; return this; }
        public Builder discoveryPools(Set<String> v) { discoveryPools = v; return this; }
        public Builder shards(int v) { shards = v; return this; }
        public Builder shardSessionTimeout(Duration v) { shardSessionTimeout = v; return this; }
        public Builder metricsPort(int v) { metricsPort = v; return this; }
        /** Overrides some metric names of {@code engine} ({@link MappingOverride} syntax; blank = built-in). */
        public Builder mappingOverride(EngineType engine, String spec) { mappingOverrides.put(engine, spec); return this; }
        public Builder mappingOverrides(Map<EngineType, String> v) { mappingOverrides.putAll(v); return this; }

        /** @throws IllegalArgumentException naming the key of the first invalid value */
        public CollectorConfig build() {
            return new CollectorConfig(cluster, collectorId, bootstrapServers, schemaRegistryUrl, topicPrefix,
                    scrapeInterval, scrapeTimeout, maxConcurrentScrapes, metricsPath, scrapeJitter, maxPageBytes,
                    ioThreads, discoveryInterval, lingerMs, closeTimeout, publishMembership, discoveryPools, shards,
                    shardSessionTimeout, mappingOverrides, metricsPort);
        }
    }
}
