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
 * before), records {@code arrival wall clock − scrapeTimeMs} in milliseconds, split at the PoolState's
 * {@code producedAtMs} into the leg up to the aggregator's publication (sample produced, fetched, applied, held by
 * the emit throttle) and the leg after it (PoolState produced, appended, fetched, decoded here). Runs on its own
 * thread until stopped.
 */
final class PoolStateLatencyProbe implements Runnable {

    private final KafkaConsumer<String, PoolState> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Long> newestScrape = new HashMap<>();
    private volatile boolean recording;
    private long[] latencies = new long[1 << 16];
    private long[] published = new long[1 << 16];
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
                            add(arrival - endpoint.getScrapeTimeMs(),
                                    record.value().getProducedAtMs() - endpoint.getScrapeTimeMs());
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

    private synchronized void add(long millis, long untilPublished) {
        if (size == latencies.length) {
            latencies = Arrays.copyOf(latencies, size * 2);
            published = Arrays.copyOf(published, size * 2);
        }
        published[size] = untilPublished;
        latencies[size++] = millis;
    }

    /** Sorted copy of the recorded latencies. */
    synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(latencies, size);
        Arrays.sort(copy);
        return copy;
    }

    /** Sorted copy of the recorded scrape → PoolState {@code producedAtMs} legs. */
    synchronized long[] sortedUntilPublished() {
        long[] copy = Arrays.copyOf(published, size);
        Arrays.sort(copy);
        return copy;
    }

    /** Sorted copy of the recorded {@code producedAtMs} → arrival legs. */
    synchronized long[] sortedAfterPublished() {
        long[] copy = new long[size];
        for (int i = 0; i < size; i++) {
            copy[i] = latencies[i] - published[i];
        }
        Arrays.sort(copy);
        return copy;
    }

    /**
     * Of the samples at or above the {@code q} quantile of the whole path, the mean of the leg up to publication
     * and of the leg after it: where the tail was spent.
     */
    synchronized String tailSplit(double q) {
        long threshold = percentile(sorted(), q);
        long count = 0;
        long until = 0;
        long after = 0;
        for (int i = 0; i < size; i++) {
            if (latencies[i] >= threshold) {
                count++;
                until += published[i];
                after += latencies[i] - published[i];
            }
        }
        return count == 0 ? "(none)" : String.format(java.util.Locale.ROOT,
                "%,d samples >= %d ms: on average %.1f ms up to publication, %.1f ms after", count, threshold,
                until / (double) count, after / (double) count);
    }

    long poolStates() {
        return poolStates;
    }

    static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
