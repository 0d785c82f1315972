package dev.osprey.epp.state;

import dev.osprey.schemas.avro.PoolState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Materializes the pool-state topic for one pool into a {@link SnapshotHolder}: a {@link TopicFollower} reads every
 * partition from the beginning and swaps in a new {@link PoolSnapshot} for every record keyed by the served pool
 * id. The view is <em>synced</em> once the first snapshot of the pool arrives or every partition was read to the
 * end offset it had at assignment. Records that cannot be decoded are counted and skipped. {@link #close()} stops
 * the thread.
 */
public final class PoolStateView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PoolStateView.class);

    private final String poolId;
    private final String replicaId;
    private final Deserializer<PoolState> values;
    private final SnapshotHolder holder;
    private final CountDownLatch synced = new CountDownLatch(1);
    private final Counter received;
    private final Counter decodeErrors;
    private volatile Runnable onSynced = () -> { };
    private volatile long lastVersion = Long.MIN_VALUE;
    private TopicFollower follower;

    private PoolStateView(Deserializer<PoolState> values, String poolId, String replicaId, SnapshotHolder holder,
            MeterRegistry meters) {
        this.poolId = Objects.requireNonNull(poolId, "poolId");
        this.replicaId = Objects.requireNonNull(replicaId, "replicaId");
        this.values = Objects.requireNonNull(values, "values");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.received = Counter.builder("osprey_epp_pool_state_records_total")
                .description("Pool-state records applied for the served pool").register(meters);
        this.decodeErrors = Counter.builder("osprey_epp_pool_state_decode_errors_total")
                .description("Pool-state records that could not be decoded and were skipped").register(meters);
        Gauge.builder("osprey_epp_pool_state_version", this, v -> v.lastVersion == Long.MIN_VALUE ? -1 : v.lastVersion)
                .description("Version of the current pool snapshot").register(meters);
    }

    /**
     * Starts a view; the consumer thread is running when this returns.
     *
     * @param values deserializer of PoolState values (the topic's value serde)
     * @param replicaId this EPP replica's id: its own share of the cross-replica in-flight counts is left out
     */
    public static PoolStateView start(String bootstrapServers, String topic, Deserializer<PoolState> values,
            String poolId, String replicaId, SnapshotHolder holder, MeterRegistry meters) {
        PoolStateView view = new PoolStateView(values, poolId, replicaId, holder, meters);
        view.follower = TopicFollower.start(bootstrapServers, topic,
                "osprey-epp-pool-state-" + poolId.replace('/', '.'), view::apply,
                () -> view.markSynced("read to the end with no state for " + poolId), () -> { });
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
        holder.set(PoolStates.toSnapshot(state, replicaId));
        lastVersion = state.getVersion();
        received.increment();
        markSynced("first state of " + poolId + " at version " + state.getVersion());
    }

    private void markSynced(String why) {
        if (synced()) {
            return;
        }
        synced.countDown();
        LOG.info("pool-state synced: {}", why);
        onSynced.run();
    }

    /** Stops the consumer thread and waits briefly for it; idempotent. */
    @Override
    public void close() {
        follower.close();
    }
}
