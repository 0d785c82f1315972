package dev.osprey.epp.state;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the aggregator's shared prefix index ({@code <prefix>prefix-index}, one JSON snapshot per pool built
 * from every EPP replica's routing decisions) and merges the served pool's blocks into this replica's scheduler,
 * so a prompt prefix another replica routed is matched here too, and a restarted replica starts with the pool's
 * prefix picture. Records of other pools are ignored; undecodable ones are counted and skipped; a snapshot read
 * before the first pool state is kept and applied as soon as one is there. {@link #close()} stops the thread.
 */
public final class SharedPrefixView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedPrefixView.class);

    private final String poolId;
    private final PoolSnapshotSource pool;
    private final SharedPrefixMerger merger;
    private final Counter received;
    private final Counter decodeErrors;
    private final Counter blocksMerged;
    private Map<String, long[]> pending;
    private TopicFollower follower;

    private SharedPrefixView(String poolId, PoolSnapshotSource pool, SharedPrefixSink sink, MeterRegistry meters) {
        this.poolId = Objects.requireNonNull(poolId, "poolId");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.merger = new SharedPrefixMerger(sink);
        this.received = Counter.builder("osprey_epp_shared_prefix_records_total")
                .description("Shared prefix-index snapshots of the served pool received").register(meters);
        this.decodeErrors = Counter.builder("osprey_epp_shared_prefix_decode_errors_total")
                .description("Shared prefix-index records that could not be decoded and were skipped")
                .register(meters);
        this.blocksMerged = Counter.builder("osprey_epp_shared_prefix_blocks_merged_total")
                .description("Prefix blocks from the shared index merged into this replica's prefix index")
                .register(meters);
    }

    /** Starts following {@code topic}; the consumer thread is running when this returns. */
    public static SharedPrefixView start(String bootstrapServers, String topic, String poolId,
            PoolSnapshotSource pool, SharedPrefixSink sink, MeterRegistry meters) {
        SharedPrefixView view = new SharedPrefixView(poolId, pool, sink, meters);
        view.follower = TopicFollower.start(bootstrapServers, topic,
                "osprey-epp-shared-prefix-" + poolId.replace('/', '.'), view::apply, () -> { },
                view::applyPending);
        return view;
    }

    private void apply(ConsumerRecord<String, byte[]> rec) {
        if (!poolId.equals(rec.key()) || rec.value() == null) {
            return;
        }
        Map<String, long[]> blocks;
        try {
            blocks = SharedPrefixDecoder.decode(rec.value());
        } catch (IllegalArgumentException e) {
            decodeErrors.increment();
            LOG.warn("skipping undecodable prefix-index record {}-{}@{}: {}", rec.topic(), rec.partition(),
                    rec.offset(), e.getMessage());
            return;
        }
        received.increment();
        pending = blocks;
        applyPending();
    }

    private void applyPending() {
        Optional<PoolSnapshot> snapshot = pool.current();
        if (pending != null && snapshot.isPresent()) {
            blocksMerged.increment(merger.merge(pending, snapshot.get()));
            pending = null;
        }
    }

    /** Stops the consumer thread and waits briefly for it; idempotent. */
    @Override
    public void close() {
        follower.close();
    }
}
