package dev.osprey.epp.state;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a compacted topic from its beginning on one daemon thread: a consumer that assigns every partition (no
 * consumer group, so every EPP replica reads everything), read_uncommitted, each record handed to {@code handler}
 * on that thread, then {@code afterPoll} after every poll (at least every 100 ms). {@code onCaughtUp} runs once,
 * when every partition has been read to the end offset it had at assignment. A missing topic is retried until it
 * appears (logged once). {@link #close()} stops the thread.
 *
 * <p>The fetch wait is how long the broker may hold a fetch that has nothing to return; a record appended in the
 * meantime completes the fetch at once, so a longer wait costs no freshness, only fewer empty fetches ({@value
 * #FETCH_MAX_WAIT_MS} ms here: five idle fetch round trips a second per follower instead of two hundred).
 */
final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long RETRY_MS = 250;
    static final int FETCH_MAX_WAIT_MS = 200;

    private final String topic;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Runnable onCaughtUp;
    private final Runnable afterPoll;
    private final KafkaConsumer<String, byte[]> consumer;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private boolean caughtUp;

    private TopicFollower(String bootstrapServers, String topic, String clientId,
            Consumer<ConsumerRecord<String, byte[]>> handler, Runnable onCaughtUp, Runnable afterPoll) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.onCaughtUp = Objects.requireNonNull(onCaughtUp, "onCaughtUp");
        this.afterPoll = Objects.requireNonNull(afterPoll, "afterPoll");
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, clientId);
        this.thread.setDaemon(true);
    }

    /** Starts following; the thread is running when this returns. */
    static TopicFollower start(String bootstrapServers, String topic, String clientId,
            Consumer<ConsumerRecord<String, byte[]>> handler, Runnable onCaughtUp, Runnable afterPoll) {
        TopicFollower follower = new TopicFollower(bootstrapServers, topic, clientId, handler, onCaughtUp,
                afterPoll);
        follower.thread.start();
        return follower;
    }

    private void run() {
        try {
            Map<TopicPartition, Long> endOffsets = assign();
            while (!stopping()) {
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(POLL)) {
                    handler.accept(rec);
                }
                afterPoll.run();
                if (!caughtUp && reachedEnd(endOffsets)) {
                    caughtUp = true;
                    onCaughtUp.run();
                }
            }
        } catch (WakeupException e) {
            if (!stopping()) {
                LOG.error("consumer of {} woken up unexpectedly", topic, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("consumer of {} stopped; its view will no longer be updated", topic, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
        }
    }

    private Map<TopicPartition, Long> assign() throws InterruptedException {
        boolean reported = false;
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
                LOG.info("following {} ({} partitions)", topic, partitions.size());
                return end;
            }
            if (!reported) {
                LOG.info("topic {} not found yet; retrying every {} ms", topic, RETRY_MS);
                reported = true;
            }
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
