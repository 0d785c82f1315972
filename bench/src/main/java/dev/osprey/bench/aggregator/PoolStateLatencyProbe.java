package dev.osprey.bench.aggregator;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.kafka.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Consumes PoolState and, for every sample seen for the first time (an endpoint's {@code scrapeTimeMs} newer than
 * before), records {@code arrival wall clock − scrapeTimeMs} in milliseconds. Runs on its own thread until stopped.
 */
final class PoolStateLatencyProbe implements Runnable {

    private final KafkaConsumer<String, PoolState> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Long> newestScrape = new HashMap<>();
    private volatile boolean recording;
    private long[] latencies = new long[1 << 16];
    private int size;
    private long poolStates;

    PoolStateLatencyProbe(String bootstrap, Topic<String, PoolState> topic, String isolationLevel) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-probe-" + isolationLevel + "-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
    }

    /** Polls until the consumer has its partitions, so no PoolState of the measured period is missed. */
    void awaitAssignment(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("probe got no partitions within " + timeout);
            }
            consumer.poll(Duration.ofMillis(50));
        }
    }

    /** Latencies are recorded only while recording (after warm-up). */
    void recording(boolean on) {
        recording = on;
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, PoolState> record : consumer.poll(Duration.ofMillis(20))) {
                    long arrival = System.currentTimeMillis();
                    poolStates++;
                    for (EndpointState endpoint : record.value().getEndpoints()) {
                        Long previous = newestScrape.put(endpoint.getEndpointId(), endpoint.getScrapeTimeMs());
                        if (previous != null && endpoint.getScrapeTimeMs() > previous && recording) {
                            add(arrival - endpoint.getScrapeTimeMs());
                        }
                    }
                }
            }
        } finally {
            consumer.close();
        }
    }

    void stop() {
        running.set(false);
    }

    private synchronized void add(long millis) {
        if (size == latencies.length) {
            latencies = Arrays.copyOf(latencies, size * 2);
        }
        latencies[size++] = millis;
    }

    /** Sorted copy of the recorded latencies. */
    synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(latencies, size);
        Arrays.sort(copy);
        return copy;
    }

    long poolStates() {
        return poolStates;
    }

    static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
