package dev.osprey.collector.publish;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-off between scrapers and the Kafka publisher holding at most one value per key: offering a value
 * for a key that is still waiting replaces it (latest sample wins), so when Kafka is slow the buffer holds one
 * sample per endpoint and never grows beyond the number of endpoints. Keys are taken in the order they first became
 * pending.
 *
 * <p>Thread-safe for any number of producers and consumers.
 */
public final class LatestSampleBuffer<V> {

    private final Map<String, V> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> order = new LinkedBlockingQueue<>();

    /**
     * Adds {@code value} under {@code key}.
     *
     * @return {@code true} when it replaced a value not yet taken
     */
    public boolean offer(String key, V value) {
        V previous = pending.put(key, value);
        if (previous == null) {
            order.add(key);
            return false;
        }
        return true;
    }

    /** The oldest pending key's latest value, waiting up to {@code timeout}; empty when none arrived. */
    public Optional<V> poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            long remaining = deadline - System.nanoTime();
            String key = order.poll(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            if (key == null) {
                return Optional.empty();
            }
            V value = pending.remove(key);
            if (value != null) {
                return Optional.of(value);
            }
            if (remaining <= 0) {
                return Optional.empty();
            }
        }
    }

    /** How many keys hold a value not yet taken. */
    public int size() {
        return pending.size();
    }
}
