package dev.osprey.collector.discovery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.osprey.api.PoolEndpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the endpoints of a delegate source across collector replicas with Kafka's group protocol. Every replica
 * joins consumer group {@code groupId} on a dedicated assignment topic of {@code partitions} partitions (created if
 * absent; it carries no records) and scrapes only the endpoints whose id hashes — with Kafka's default partitioner,
 * murmur2 of the UTF-8 endpoint id — to a partition it is assigned. N replicas therefore split the endpoints with no
 * overlap, and when one leaves (or its session times out) the group rebalances and the survivors take its share.
 * Until its first assignment a replica scrapes nothing.
 *
 * <p>Membership is not sharded: {@link #membershipEndpoints()} is the delegate's full set, so every replica publishes
 * the same membership (and tombstones) idempotently to the compacted endpoints topic; an endpoint moving between
 * replicas is never tombstoned by the one giving it up.
 *
 * <p>Thread-safe; one daemon thread polls the group. {@link #close()} leaves the group at once.
 */
public final class ShardedEndpointSource implements EndpointSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardedEndpointSource.class);

    /**
     * Where and how to shard.
     *
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            the assignment topic
     * @param partitions       its partition count (the number of shards; at least the replica count)
     * @param groupId          the consumer group every replica of one collector deployment joins
     * @param memberId         this replica's id (client id, for logs)
     * @param sessionTimeout   how long a silent replica keeps its share before the group gives it away
     */
    public record Settings(String bootstrapServers, String topic, int partitions, String groupId, String memberId,
            Duration sessionTimeout) {

        public Settings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(memberId, "memberId");
            Objects.requireNonNull(sessionTimeout, "sessionTimeout");
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be positive, got " + partitions);
            }
        }
    }

    private final EndpointSource delegate;
    private final Settings settings;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Set<Integer> assigned = Set.of();

    private ShardedEndpointSource(EndpointSource delegate, Settings settings) {
        this.delegate = delegate;
        this.settings = settings;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "osprey-collector-shard-" + settings.memberId());
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) Math.max(100, settings.sessionTimeout().toMillis() / 5));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // cooperative: a rebalance moves only the shards that change owner; the others keep being scraped
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.poller = new Thread(this::poll, "osprey-collector-shards-" + settings.memberId());
        this.poller.setDaemon(true);
    }

    /**
     * Creates the assignment topic if needed, joins the group and starts polling; returns before the first
     * assignment.
     *
     * @throws org.apache.kafka.common.KafkaException when the topic cannot be created or the consumer not built
     */
    public static ShardedEndpointSource start(EndpointSource delegate, Settings settings) {
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(settings, "settings");
        ensureTopic(settings);
        ShardedEndpointSource source = new ShardedEndpointSource(delegate, settings);
        source.consumer.subscribe(List.of(settings.topic()), source.listener());
        source.poller.start();
        return source;
    }

    /** The shard (partition) of an endpoint id among {@code partitions}: Kafka's default key partitioning. */
    public static int shardOf(String endpointId, int partitions) {
        return Utils.toPositive(Utils.murmur2(endpointId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The shards this replica owns now. */
    public Set<Integer> assignedShards() {
        return assigned;
    }

    @Override
    public List<PoolEndpoint> endpoints() {
        Set<Integer> mine = assigned;
        if (mine.isEmpty()) {
            return List.of();
        }
        return delegate.endpoints().stream()
                .filter(e -> mine.contains(shardOf(e.endpointId(), settings.partitions()))).toList();
    }

    @Override
    public List<PoolEndpoint> membershipEndpoints() {
        return delegate.membershipEndpoints();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        consumer.wakeup();
        try {
            poller.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assigned = Set.of();
    }

    private void poll() {
        try {
            while (!closed.get()) {
                consumer.poll(Duration.ofMillis(200));
            }
        } catch (WakeupException e) {
            LOG.debug("shard poller {} woken for close", settings.memberId());
        } catch (RuntimeException e) {
            LOG.error("shard poller {} failed; this replica scrapes nothing until restarted", settings.memberId(), e);
            assigned = Set.of();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private ConsumerRebalanceListener listener() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                change(partitions, false);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                change(partitions, true);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                change(partitions, false);
            }
        };
    }

    private void change(Collection<TopicPartition> partitions, boolean add) {
        Set<Integer> next = new TreeSet<>(assigned);
        for (TopicPartition partition : partitions) {
            if (add) {
                next.add(partition.partition());
            } else {
                next.remove(partition.partition());
            }
        }
        assigned = Set.copyOf(next);
        LOG.info("collector {} now owns shards {} of {}", settings.memberId(), new TreeSet<>(next),
                settings.partitions());
    }

    private static void ensureTopic(Settings settings) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                settings.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(settings.topic(), settings.partitions(), (short) -1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new org.apache.kafka.common.KafkaException("cannot create shard topic " + settings.topic(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.KafkaException("timed out creating shard topic " + settings.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.KafkaException("interrupted creating shard topic", e);
        }
    }
}
