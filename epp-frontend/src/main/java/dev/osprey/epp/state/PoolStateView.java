package dev.osprey.epp.state;

import dev.osprey.schemas.avro.PoolState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Materializes the pool-state topic for one pool into a {@link SnapshotHolder}. One daemon thread owns a consumer
 * that assigns every partition (no consumer group), reads from the beginning with read_uncommitted and a small fetch
 * wait, and swaps in a new {@link PoolSnapshot} for every record keyed by the served pool id. The view is
 * <em>synced</em> once the first snapshot of the pool arrives or every partition was read to the end offset it had
 * at assignment. Records that cannot be decoded are counted and skipped. {@link #close()} stops the thread.
 */
public final class PoolStateView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PoolStateView.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long RETRY_MS = 250;

    private final String topic;
    private final String poolId;
    private final Deserializer<PoolState> values;
    private final SnapshotHolder holder;
    private final KafkaConsumer<String, byte[]> consumer;
    private final CountDownLatch synced = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private final Counter received;
    private final Counter decodeErrors;
    private volatile Runnable onSynced = () -> { };
    private volatile long lastVersion = Long.MIN_VALUE;

    private PoolStateView(String bootstrapServers, String topic, Deserializer<PoolState> values, String poolId,
            SnapshotHolder holder, MeterRegistry meters) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.poolId = Objects.requireNonNull(poolId, "poolId");
        this.values = Objects.requireNonNull(values, "values");
        this.holder = Objects.requireNonNull(holder, "holder");
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "osprey-epp-pool-state-" + poolId.replace('/', '.'));
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.received = Counter.builder("osprey_epp_pool_state_records_total")
                .description("Pool-state records applied for the served pool").register(meters);
        this.decodeErrors = Counter.builder("osprey_epp_pool_state_decode_errors_total")
                .description("Pool-state records that could not be decoded and were skipped").register(meters);
        Gauge.builder("osprey_epp_pool_state_version", this, v -> v.lastVersion == Long.MIN_VALUE ? -1 : v.lastVersion)
                .description("Version of the current pool snapshot").register(meters);
        this.thread = new Thread(this::run, "osprey-epp-pool-state");
        this.thread.setDaemon(true);
    }

    /**
     * Starts a view; the consumer thread is running when this returns.
     *
     * @param values deserializer of PoolState values (the topic's value serde)
     */
    public static PoolStateView start(String bootstrapServers, String topic, Deserializer<PoolState> values,
            String poolId, SnapshotHolder holder, MeterRegistry meters) {
        PoolStateView view = new PoolStateView(bootstrapServers, topic, values, poolId, holder, meters);
        view.thread.start();
        return view;
    }

    /** Registers the action run once (on the consumer thread, or at once if already synced) when synced. */
    public void onSynced(Runnable action) {
        onSynced = Objects.requireNonNull(action, "action");
        if (synced()) {
            action.run();
        }
    }

    /** Whether the initial read is complete. */
    public boolean synced() {
        return synced.getCount() == 0;
    }

    /** Waits up to {@code timeout} for the initial read; returns whether it completed. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            Map<TopicPartition, Long> endOffsets = assign();
            while (!stopping()) {
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(POLL)) {
                    apply(rec);
                }
                if (!synced() && reachedEnd(endOffsets)) {
                    markSynced("read to the end with no state for " + poolId);
                }
            }
        } catch (WakeupException e) {
            if (!stopping()) {
                LOG.error("pool-state consumer for {} woken up unexpectedly", poolId, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("pool-state consumer for {} stopped; snapshots will no longer be updated", poolId, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
        }
    }

    private Map<TopicPartition, Long> assign() throws InterruptedException {
        while (!stopping()) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(1));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("metadata for {} not available yet: {}", topic, e.getMessage());
                infos = List.of();
            }
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> partitions = infos.stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                LOG.info("reading {} ({} partitions) for pool {}", topic, partitions.size(), poolId);
                return end;
            }
            LOG.info("topic {} not found yet; retrying", topic);
            if (stop.await(RETRY_MS, TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        return Map.of();
    }

    private boolean reachedEnd(Map<TopicPartition, Long> endOffsets) {
        if (endOffsets.isEmpty()) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> e : endOffsets.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> rec) {
        if (!poolId.equals(rec.key()) || rec.value() == null) {
            return;
        }
        PoolState state;
        try {
            state = values.deserialize(rec.topic(), rec.value());
        } catch (KafkaException e) {
            decodeErrors.increment();
            LOG.warn("skipping undecodable pool-state record {}-{}@{}: {}", rec.topic(), rec.partition(),
                    rec.offset(), e.getMessage());
            return;
        }
        if (state.getVersion() < lastVersion) {
            LOG.warn("pool {} version went back from {} to {}; taking it (aggregator restarted?)", poolId,
                    lastVersion, state.getVersion());
        }
        holder.set(PoolStates.toSnapshot(state));
        lastVersion = state.getVersion();
        received.increment();
        if (!synced()) {
            markSynced("first state of " + poolId + " at version " + state.getVersion());
        }
    }

    private void markSynced(String why) {
        synced.countDown();
        LOG.info("pool-state synced: {}", why);
        onSynced.run();
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    /** Stops the consumer thread and waits briefly for it; idempotent. */
    @Override
    public void close() {
        stop.countDown();
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
