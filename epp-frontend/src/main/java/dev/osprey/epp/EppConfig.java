package dev.osprey.epp;

import dev.osprey.epp.config.ConfigDefinition;
import dev.osprey.epp.config.ConfigKey;
import dev.osprey.epp.config.Parsers;
import dev.osprey.epp.request.UnknownModelPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The EPP's whole configuration, immutable and validated. Every key is a constant below with a default and a doc
 * string; {@link #definitions()} lists them for the generated reference. Build it with {@link #fromMap(Map)} (an
 * unknown key or a bad value fails naming the key) or {@link #defaults(String, String, String)} and the
 * {@code with...} methods, which validate the same way.
 */
public record EppConfig(
        String cluster,
        String replicaId,
        String bindAddress,
        int grpcPort,
        int healthPort,
        int metricsPort,
        String bootstrapServers,
        String schemaRegistryUrl,
        String topicPrefix,
        String poolNamespace,
        String poolName,
        long maxRequestBodyBytes,
        Duration shutdownGrace,
        int decisionBufferSize,
        boolean publishEvents,
        boolean publishPrefixHashes,
        int fallbackEndpoints,
        UnknownModelPolicy unknownModelPolicy,
        int saturationQueueDepth,
        double saturationKvCache,
        Duration metricsStaleness,
        String schedulerConfig,
        boolean sharedPrefixIndex,
        boolean tlsPlaintext,
        String tlsCertFile,
        String tlsKeyFile,
        String tlsClientCaFile,
        Duration tlsReloadInterval,
        boolean tracingEnabled) {

    private static final String P = "osprey.epp.";

    public static final ConfigKey<String> CLUSTER = ConfigKey.optional(P + "cluster", "local",
            "Cluster name; the first part of the pool id cluster/namespace/name.", Parsers.nonBlank());
    public static final ConfigKey<String> REPLICA_ID = ConfigKey.optional(P + "replica-id", "epp-0",
            "This EPP replica's id, written into every routing decision.", Parsers.nonBlank());
    public static final ConfigKey<String> BIND_ADDRESS = ConfigKey.optional(P + "bind-address", "0.0.0.0",
            "Address the gRPC, health and metrics servers listen on.", Parsers.nonBlank());
    public static final ConfigKey<Integer> GRPC_PORT = ConfigKey.optional(P + "grpc-port", "9002",
            "Ext-proc gRPC port (0 = ephemeral).", Parsers.intRange(0, 65535));
    public static final ConfigKey<Integer> HEALTH_PORT = ConfigKey.optional(P + "health-port", "9003",
            "gRPC health port (0 = ephemeral).", Parsers.intRange(0, 65535));
    public static final ConfigKey<Integer> METRICS_PORT = ConfigKey.optional(P + "metrics-port", "9090",
            "Prometheus /metrics HTTP port (0 = ephemeral, -1 = disabled).", Parsers.intRange(-1, 65535));
    public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.required(P + "kafka.bootstrap-servers",
            "Kafka bootstrap servers (host:port list).", Parsers.nonBlank());
    public static final ConfigKey<String> SCHEMA_REGISTRY_URL = ConfigKey.optional(P + "schema-registry-url",
            "mock://osprey", "Schema registry: mock://scope (in-memory) or http(s)://host:port.", Parsers.nonBlank());
    public static final ConfigKey<String> TOPIC_PREFIX = ConfigKey.optional(P + "topic-prefix", "osprey.",
            "Prefix of every Osprey topic name (osprey.pool-state and so on).", Parsers.any());
    public static final ConfigKey<String> POOL_NAMESPACE = ConfigKey.required(P + "pool.namespace",
            "Namespace of the InferencePool this EPP serves.", Parsers.nonBlank());
    public static final ConfigKey<String> POOL_NAME = ConfigKey.required(P + "pool.name",
            "Name of the InferencePool this EPP serves.", Parsers.nonBlank());
    public static final ConfigKey<Long> MAX_REQUEST_BODY_BYTES = ConfigKey.optional(P + "max-request-body-bytes",
            "10485760", "Largest request body buffered; larger requests get 413.",
            Parsers.longRange(1, Integer.MAX_VALUE));
    public static final ConfigKey<Long> SHUTDOWN_GRACE_MS = ConfigKey.optional(P + "shutdown-grace-ms", "5000",
            "How long close() lets open streams finish before cancelling them.", Parsers.longRange(0, 600_000));
    public static final ConfigKey<Integer> DECISION_BUFFER_SIZE = ConfigKey.optional(P + "events.buffer-size",
            "10000", "Routing decisions and outcomes queued for Kafka before new ones are dropped (and counted).",
            Parsers.intRange(1, 10_000_000));
    public static final ConfigKey<Boolean> PUBLISH_EVENTS = ConfigKey.optional(P + "events.publish", "true",
            "Publish RoutingDecision and RequestOutcome records to Kafka.", Parsers.bool());
    public static final ConfigKey<Boolean> PUBLISH_PREFIX_HASHES = ConfigKey.optional(P + "events.prefix-hashes",
            "false", "Put each routed request's prompt-prefix block hashes (up to 256) on its RoutingDecision, which "
            + "feeds the aggregator's shared prefix index. Off by default: in the aggregator each such decision "
            + "costs a fold of its blocks plus a whole-pool publication per interval (docs/aggregator.md); turn it "
            + "on with several EPP replicas at moderate request rates.", Parsers.bool());
    public static final ConfigKey<Integer> FALLBACK_ENDPOINTS = ConfigKey.optional(P + "fallback-endpoints", "0",
            "Fallback endpoints listed after the primary in x-gateway-destination-endpoint.",
            Parsers.intRange(0, 16));
    public static final ConfigKey<UnknownModelPolicy> UNKNOWN_MODEL = ConfigKey.optional(P + "unknown-model",
            "pass-through", "Model without an InferenceModel: pass-through (Standard) or reject (404).",
            Parsers.enumOf(UnknownModelPolicy.class));
    public static final ConfigKey<Integer> SATURATION_QUEUE_DEPTH = ConfigKey.optional(
            P + "saturation.queue-depth", "5", "An endpoint with this many waiting requests is saturated.",
            Parsers.intRange(1, 1_000_000));
    public static final ConfigKey<Double> SATURATION_KV_CACHE = ConfigKey.optional(P + "saturation.kv-cache",
            "0.8", "An endpoint with this KV-cache utilization (0-1) is saturated.", Parsers.doubleRange(0, 1));
    public static final ConfigKey<Long> METRICS_STALENESS_MS = ConfigKey.optional(
            P + "saturation.metrics-staleness-ms", "200",
            "Metrics older than this make an endpoint count as saturated.", Parsers.longRange(1, 3_600_000));
    public static final ConfigKey<String> SCHEDULER_CONFIG = ConfigKey.optional(P + "scheduler.config",
            "osprey-default", "Scheduler: a built-in name (osprey-default, upstream-default, sticky-until-saturated, "
            + "legacy-decision-tree, random, round-robin, least-request-p2c) or the path of an upstream "
            + "EndpointPickerConfig YAML file; see docs/scheduling.md.", Parsers.nonBlank());

    public static final ConfigKey<Boolean> SHARED_PREFIX_INDEX = ConfigKey.optional(P + "scheduler.shared-prefix-index",
            "true", "Merge the aggregator's shared prefix index (the topic prefix-index after the topic prefix, "
            + "built from the routing decisions of replicas with events.prefix-hashes on) into this replica's "
            + "prefix index, so prefixes routed by other replicas are matched here too. Only schedulers with a "
            + "prefix scorer use it.", Parsers.bool());

    public static final ConfigKey<Boolean> TLS_PLAINTEXT = ConfigKey.optional(P + "tls.plaintext", "false",
            "Serve ext-proc without TLS (the all-in-one does). Otherwise TLS with the given certificate, or a "
            + "self-signed one generated at start-up.", Parsers.bool());
    public static final ConfigKey<String> TLS_CERT_FILE = ConfigKey.optional(P + "tls.cert-file", "",
            "PEM certificate chain of the ext-proc port; empty = self-signed (set together with tls.key-file).",
            Parsers.any());
    public static final ConfigKey<String> TLS_KEY_FILE = ConfigKey.optional(P + "tls.key-file", "",
            "PEM (PKCS#8) private key of tls.cert-file.", Parsers.any());
    public static final ConfigKey<String> TLS_CLIENT_CA_FILE = ConfigKey.optional(P + "tls.client-ca-file", "",
            "PEM CA bundle; when set, ext-proc clients must present a certificate it verifies.", Parsers.any());

    public static final ConfigKey<Long> TLS_RELOAD_INTERVAL_MS = ConfigKey.optional(P + "tls.reload-interval-ms",
            "0", "Check tls.cert-file, tls.key-file and tls.client-ca-file this often and re-read them when "
            + "modified, so a rotated certificate applies to new connections without a restart (0 = read once at "
            + "start-up; upstream's --enable-cert-reload sets 10000). Needs a certificate or client CA file.",
            Parsers.longRange(0, 86_400_000));

    public static final ConfigKey<Boolean> TRACING_ENABLED = ConfigKey.optional(P + "tracing.enabled", "false",
            "Trace each request's routing with OpenTelemetry (a span from its headers to the decision, a child of the "
            + "gateway's traceparent and handed on to the model server); exporter, sampler and service name from the "
            + "standard OTEL_* variables, OTLP over HTTP/protobuf by default. Upstream's --tracing sets it.",
            Parsers.bool());

    /** Every key, in documentation order. */
    public static final List<ConfigKey<?>> KEYS = List.of(CLUSTER, REPLICA_ID, BIND_ADDRESS, GRPC_PORT, HEALTH_PORT,
            METRICS_PORT, BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, TOPIC_PREFIX, POOL_NAMESPACE, POOL_NAME,
            MAX_REQUEST_BODY_BYTES, SHUTDOWN_GRACE_MS, DECISION_BUFFER_SIZE, PUBLISH_EVENTS, PUBLISH_PREFIX_HASHES,
            FALLBACK_ENDPOINTS,
            UNKNOWN_MODEL, SATURATION_QUEUE_DEPTH, SATURATION_KV_CACHE, METRICS_STALENESS_MS, SCHEDULER_CONFIG,
            SHARED_PREFIX_INDEX, TLS_PLAINTEXT, TLS_CERT_FILE, TLS_KEY_FILE, TLS_CLIENT_CA_FILE,
            TLS_RELOAD_INTERVAL_MS, TRACING_ENABLED);

    public EppConfig {
        Objects.requireNonNull(cluster, CLUSTER.name());
        Objects.requireNonNull(replicaId, REPLICA_ID.name());
        Objects.requireNonNull(bindAddress, BIND_ADDRESS.name());
        Objects.requireNonNull(bootstrapServers, BOOTSTRAP_SERVERS.name());
        Objects.requireNonNull(schemaRegistryUrl, SCHEMA_REGISTRY_URL.name());
        Objects.requireNonNull(topicPrefix, TOPIC_PREFIX.name());
        Objects.requireNonNull(poolNamespace, POOL_NAMESPACE.name());
        Objects.requireNonNull(poolName, POOL_NAME.name());
        Objects.requireNonNull(shutdownGrace, SHUTDOWN_GRACE_MS.name());
        Objects.requireNonNull(unknownModelPolicy, UNKNOWN_MODEL.name());
        Objects.requireNonNull(metricsStaleness, METRICS_STALENESS_MS.name());
        Objects.requireNonNull(schedulerConfig, SCHEDULER_CONFIG.name());
        Objects.requireNonNull(tlsCertFile, TLS_CERT_FILE.name());
        Objects.requireNonNull(tlsKeyFile, TLS_KEY_FILE.name());
        Objects.requireNonNull(tlsClientCaFile, TLS_CLIENT_CA_FILE.name());
        Objects.requireNonNull(tlsReloadInterval, TLS_RELOAD_INTERVAL_MS.name());
        if (tlsCertFile.isBlank() != tlsKeyFile.isBlank()) {
            throw new IllegalArgumentException(TLS_CERT_FILE.name() + " and " + TLS_KEY_FILE.name()
                    + " must be set together");
        }
        if (!tlsReloadInterval.isZero() && (tlsPlaintext || (tlsCertFile.isBlank() && tlsClientCaFile.isBlank()))) {
            throw new IllegalArgumentException(TLS_RELOAD_INTERVAL_MS.name() + " needs " + TLS_CERT_FILE.name()
                    + " or " + TLS_CLIENT_CA_FILE.name() + (tlsPlaintext ? " and TLS (" + TLS_PLAINTEXT.name()
                    + " is true)" : ": the self-signed certificate is never reloaded"));
        }
        // Re-validate every value through the key parsers so the canonical constructor cannot bypass them.
        Map<String, String> raw = asMap(cluster, replicaId, bindAddress, grpcPort, healthPort, metricsPort,
                bootstrapServers, schemaRegistryUrl, topicPrefix, poolNamespace, poolName, maxRequestBodyBytes,
                shutdownGrace, decisionBufferSize, publishEvents, publishPrefixHashes, fallbackEndpoints,
                unknownModelPolicy,
                saturationQueueDepth, saturationKvCache, metricsStaleness, schedulerConfig, sharedPrefixIndex,
                tlsPlaintext, tlsCertFile, tlsKeyFile, tlsClientCaFile, tlsReloadInterval, tracingEnabled);
        KEYS.forEach(k -> k.read(raw));
    }

    /**
     * Parses a configuration from string values.
     *
     * @throws IllegalArgumentException naming the key when a key is unknown, required and missing, or bad
     */
    public static EppConfig fromMap(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (KEYS.stream().noneMatch(k -> k.name().equals(key))) {
                throw new IllegalArgumentException("unknown configuration key " + key);
            }
        }
        return new EppConfig(CLUSTER.read(values), REPLICA_ID.read(values), BIND_ADDRESS.read(values),
                GRPC_PORT.read(values), HEALTH_PORT.read(values), METRICS_PORT.read(values),
                BOOTSTRAP_SERVERS.read(values), SCHEMA_REGISTRY_URL.read(values), TOPIC_PREFIX.read(values),
                POOL_NAMESPACE.read(values), POOL_NAME.read(values), MAX_REQUEST_BODY_BYTES.read(values),
                Duration.ofMillis(SHUTDOWN_GRACE_MS.read(values)), DECISION_BUFFER_SIZE.read(values),
                PUBLISH_EVENTS.read(values), PUBLISH_PREFIX_HASHES.read(values), FALLBACK_ENDPOINTS.read(values),
                UNKNOWN_MODEL.read(values),
                SATURATION_QUEUE_DEPTH.read(values), SATURATION_KV_CACHE.read(values),
                Duration.ofMillis(METRICS_STALENESS_MS.read(values)), SCHEDULER_CONFIG.read(values),
                SHARED_PREFIX_INDEX.read(values), TLS_PLAINTEXT.read(values), TLS_CERT_FILE.read(values),
                TLS_KEY_FILE.read(values),
                TLS_CLIENT_CA_FILE.read(values), Duration.ofMillis(TLS_RELOAD_INTERVAL_MS.read(values)),
                TRACING_ENABLED.read(values));
    }

    /** Every default, with the three required values. */
    public static EppConfig defaults(String bootstrapServers, String poolNamespace, String poolName) {
        return fromMap(Map.of(BOOTSTRAP_SERVERS.name(), bootstrapServers, POOL_NAMESPACE.name(), poolNamespace,
                POOL_NAME.name(), poolName));
    }

    /** Name, default and doc of every key, in documentation order. */
    public static List<ConfigDefinition> definitions() {
        return KEYS.stream().map(ConfigKey::definition).toList();
    }

    /** This configuration as string values, the inverse of {@link #fromMap(Map)}. */
    public Map<String, String> toMap() {
        return asMap(cluster, replicaId, bindAddress, grpcPort, healthPort, metricsPort, bootstrapServers,
                schemaRegistryUrl, topicPrefix, poolNamespace, poolName, maxRequestBodyBytes, shutdownGrace,
                decisionBufferSize, publishEvents, publishPrefixHashes, fallbackEndpoints, unknownModelPolicy,
                saturationQueueDepth,
                saturationKvCache, metricsStaleness, schedulerConfig, sharedPrefixIndex, tlsPlaintext, tlsCertFile,
                tlsKeyFile, tlsClientCaFile, tlsReloadInterval, tracingEnabled);
    }

    /** {@code cluster/namespace/name} of the served pool. */
    public String poolId() {
        return dev.osprey.api.ResourceIds.poolId(cluster, poolNamespace, poolName);
    }

    /** A copy with one key replaced by a string value, validated like {@link #fromMap(Map)}. */
    public EppConfig with(ConfigKey<?> key, String value) {
        Map<String, String> values = new HashMap<>(toMap());
        values.put(key.name(), value);
        return fromMap(values);
    }

    public EppConfig withCluster(String v) {
        return with(CLUSTER, v);
    }

    public EppConfig withReplicaId(String v) {
        return with(REPLICA_ID, v);
    }

    public EppConfig withBindAddress(String v) {
        return with(BIND_ADDRESS, v);
    }

    public EppConfig withGrpcPort(int v) {
        return with(GRPC_PORT, String.valueOf(v));
    }

    public EppConfig withHealthPort(int v) {
        return with(HEALTH_PORT, String.valueOf(v));
    }

    public EppConfig withMetricsPort(int v) {
        return with(METRICS_PORT, String.valueOf(v));
    }

    public EppConfig withBootstrapServers(String v) {
        return with(BOOTSTRAP_SERVERS, v);
    }

    public EppConfig withSchemaRegistryUrl(String v) {
        return with(SCHEMA_REGISTRY_URL, v);
    }

    public EppConfig withTopicPrefix(String v) {
        return with(TOPIC_PREFIX, v);
    }

    public EppConfig withPool(String namespace, String name) {
        return with(POOL_NAMESPACE, namespace).with(POOL_NAME, name);
    }

    public EppConfig withMaxRequestBodyBytes(long v) {
        return with(MAX_REQUEST_BODY_BYTES, String.valueOf(v));
    }

    public EppConfig withShutdownGrace(Duration v) {
        return with(SHUTDOWN_GRACE_MS, String.valueOf(v.toMillis()));
    }

    public EppConfig withDecisionBufferSize(int v) {
        return with(DECISION_BUFFER_SIZE, String.valueOf(v));
    }

    public EppConfig withPublishEvents(boolean v) {
        return with(PUBLISH_EVENTS, String.valueOf(v));
    }

    public EppConfig withPublishPrefixHashes(boolean v) {
        return with(PUBLISH_PREFIX_HASHES, String.valueOf(v));
    }

    public EppConfig withFallbackEndpoints(int v) {
        return with(FALLBACK_ENDPOINTS, String.valueOf(v));
    }

    public EppConfig withUnknownModelPolicy(UnknownModelPolicy v) {
        return with(UNKNOWN_MODEL, v.name());
    }

    public EppConfig withSaturationQueueDepth(int v) {
        return with(SATURATION_QUEUE_DEPTH, String.valueOf(v));
    }

    public EppConfig withSaturationKvCache(double v) {
        return with(SATURATION_KV_CACHE, String.valueOf(v));
    }

    public EppConfig withMetricsStaleness(Duration v) {
        return with(METRICS_STALENESS_MS, String.valueOf(v.toMillis()));
    }

    public EppConfig withSchedulerConfig(String v) {
        return with(SCHEDULER_CONFIG, v);
    }

    public EppConfig withSharedPrefixIndex(boolean v) {
        return with(SHARED_PREFIX_INDEX, String.valueOf(v));
    }

    public EppConfig withTlsPlaintext(boolean v) {
        return with(TLS_PLAINTEXT, String.valueOf(v));
    }

    /** TLS with this PEM certificate chain and PKCS#8 key instead of a self-signed certificate. */
    public EppConfig withTlsCertificate(String certFile, String keyFile) {
        Map<String, String> values = new HashMap<>(toMap());
        values.put(TLS_PLAINTEXT.name(), "false");
        values.put(TLS_CERT_FILE.name(), certFile);
        values.put(TLS_KEY_FILE.name(), keyFile);
        return fromMap(values);
    }

    public EppConfig withTlsClientCaFile(String v) {
        return with(TLS_CLIENT_CA_FILE, v);
    }

    public EppConfig withTracingEnabled(boolean v) {
        return with(TRACING_ENABLED, String.valueOf(v));
    }

    public EppConfig withTlsReloadInterval(Duration v) {
        return with(TLS_RELOAD_INTERVAL_MS, String.valueOf(v.toMillis()));
    }

    private static Map<String, String> asMap(String cluster, String replicaId, String bindAddress, int grpcPort,
            int healthPort, int metricsPort, String bootstrapServers, String schemaRegistryUrl, String topicPrefix,
            String poolNamespace, String poolName, long maxRequestBodyBytes, Duration shutdownGrace,
            int decisionBufferSize, boolean publishEvents, boolean publishPrefixHashes, int fallbackEndpoints,
            UnknownModelPolicy unknownModel,
            int saturationQueueDepth, double saturationKvCache, Duration metricsStaleness, String schedulerConfig,
            boolean sharedPrefixIndex, boolean tlsPlaintext, String tlsCertFile, String tlsKeyFile,
            String tlsClientCaFile, Duration tlsReloadInterval, boolean tracingEnabled) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CLUSTER.name(), cluster);
        m.put(REPLICA_ID.name(), replicaId);
        m.put(BIND_ADDRESS.name(), bindAddress);
        m.put(GRPC_PORT.name(), String.valueOf(grpcPort));
        m.put(HEALTH_PORT.name(), String.valueOf(healthPort));
        m.put(METRICS_PORT.name(), String.valueOf(metricsPort));
        m.put(BOOTSTRAP_SERVERS.name(), bootstrapServers);
        m.put(SCHEMA_REGISTRY_URL.name(), schemaRegistryUrl);
        m.put(TOPIC_PREFIX.name(), topicPrefix);
        m.put(POOL_NAMESPACE.name(), poolNamespace);
        m.put(POOL_NAME.name(), poolName);
        m.put(MAX_REQUEST_BODY_BYTES.name(), String.valueOf(maxRequestBodyBytes));
        m.put(SHUTDOWN_GRACE_MS.name(), String.valueOf(shutdownGrace.toMillis()));
        m.put(DECISION_BUFFER_SIZE.name(), String.valueOf(decisionBufferSize));
        m.put(PUBLISH_EVENTS.name(), String.valueOf(publishEvents));
        m.put(PUBLISH_PREFIX_HASHES.name(), String.valueOf(publishPrefixHashes));
        m.put(FALLBACK_ENDPOINTS.name(), String.valueOf(fallbackEndpoints));
        m.put(UNKNOWN_MODEL.name(), unknownModel.name());
        m.put(SATURATION_QUEUE_DEPTH.name(), String.valueOf(saturationQueueDepth));
        m.put(SATURATION_KV_CACHE.name(), String.valueOf(saturationKvCache));
        m.put(METRICS_STALENESS_MS.name(), String.valueOf(metricsStaleness.toMillis()));
        m.put(SCHEDULER_CONFIG.name(), schedulerConfig);
        m.put(SHARED_PREFIX_INDEX.name(), String.valueOf(sharedPrefixIndex));
        m.put(TLS_PLAINTEXT.name(), String.valueOf(tlsPlaintext));
        m.put(TLS_CERT_FILE.name(), tlsCertFile);
        m.put(TLS_KEY_FILE.name(), tlsKeyFile);
        m.put(TLS_CLIENT_CA_FILE.name(), tlsClientCaFile);
        m.put(TLS_RELOAD_INTERVAL_MS.name(), String.valueOf(tlsReloadInterval.toMillis()));
        m.put(TRACING_ENABLED.name(), String.valueOf(tracingEnabled));
        return m;
    }
}
