package dev.osprey.aggregator;

import java.util.Properties;

import dev.osprey.aggregator.topology.AggregatorMetrics;
import dev.osprey.aggregator.topology.DeadLetterHandler;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Translates an {@link AggregatorConfig} into Kafka Streams properties tuned for low latency. */
public final class StreamsProperties {

    /** Upper bound of the consumer's wait for data, so idle poll loops still run wall-clock punctuators often. */
    static final int FETCH_MAX_WAIT_MS = 5;
    /**
     * Producer linger: PoolState records of one partition produced within this time share one produce request.
     * Each request costs the broker a fixed amount (log append, transaction verification under exactly-once), but
     * every millisecond here is a millisecond of staleness for every EPP. Measured with the aggregator benchmark
     * at 20 k samples/s (docs/benchmarks/aggregator.md): 1 ms instead of 5 (with {@link #FETCH_MIN_BYTES} 1 instead
     * of 64 KiB) halved scrape-to-PoolState p50 and p99 for about 0.05 cores more broker CPU, and did not lower the
     * sustained rate at 90-100 k samples/s, where batches fill regardless of the linger.
     */
    static final int LINGER_MS = 1;
    /**
     * Record cache of the stores built with caching (pool-load, pool-version): room for far more endpoints than a
     * task holds, so an endpoint's samples within one commit interval reach the changelog once. Only stores that
     * enable caching use it; no output is delayed by it (PoolState is forwarded by the processor, not by a cache).
     */
    /**
     * Records per consumer poll (Streams' default is 1,000): each poll-loop iteration has a fixed cost (state
     * updater checks, per-task bookkeeping), so larger polls cost less per record when a backlog builds up. A poll
     * returns what has arrived, so it does not delay records at lower rates.
     */
    static final int MAX_POLL_RECORDS = 5_000;
    /**
     * The broker answers a fetch as soon as this much data is there (or {@link #FETCH_MAX_WAIT_MS} has passed). At
     * 1 byte a sample is handed to the stream thread as soon as it is appended; a larger minimum (64 KiB was tried)
     * saves fetch requests at moderate rates but holds every sample up to the full wait. Under a backlog a fetch
     * returns whatever has accumulated, so high rates still get full fetches.
     */
    static final int FETCH_MIN_BYTES = 1;
    static final long STATE_STORE_CACHE_BYTES = 32L * 1024 * 1024;

    private StreamsProperties() {
    }

    /**
     * The Streams properties of {@code config}.
     *
     * @param applicationServer the {@code host:port} to advertise for interactive queries, or empty for none
     * @param metrics counts dead letters; handed to {@link DeadLetterHandler} as an object property
     */
    public static Properties of(AggregatorConfig config, String applicationServer, AggregatorMetrics metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDirectory().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee().configValue());
        // Under exactly_once_v2 the commit interval is the transaction length. Output is written to the topic as it
        // is produced; read_uncommitted consumers (the EPP) see it at once, read_committed ones at the commit.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.numStandbyReplicas());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, STATE_STORE_CACHE_BYTES);
        // Each input record is applied as it arrives; no event-time alignment across the co-partitioned inputs
        // (metrics, decisions, outcomes) is wanted. The default (0) holds a task's records until every one of its
        // partitions has been fetched, which kept PoolState seconds behind the metrics on a busy machine.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topicReplicationFactor());
        // Wall-clock punctuators run between polls: keep the idle poll short relative to the emit interval.
        long pollMs = Math.max(1, Math.min(config.emitInterval().isZero() ? 10 : config.emitInterval().toMillis(), 50));
        props.put(StreamsConfig.POLL_MS_CONFIG, pollMs);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), LINGER_MS);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), PrefixIndexTopic.MAX_MESSAGE_BYTES);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), FETCH_MAX_WAIT_MS);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), MAX_POLL_RECORDS);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), FETCH_MIN_BYTES);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Kafka Streams 4.3 builds a second StreamsConfig from the main consumer's settings for its partition
        // assignor and warns at start if this flag is missing there: give it to the main consumer too.
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                true);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topicNames().deadLetters());
        props.put(DeadLetterHandler.METRICS_CONFIG, metrics);
        if (!applicationServer.isEmpty()) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        return props;
    }
}
