package dev.osprey.bench.aggregator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends pre-serialised samples at a fixed rate in 5 ms slices, with {@code scrapeTimeMs} = send time. */
final class Pacer {

    /**
     * @param total samples sent, warm-up included
     * @param measured samples sent after the warm-up
     */
    record Result(long total, long measured) {
    }

    private Pacer() {
    }

    /** Sends for {@code warmUp} plus {@code measured}, running {@code onMeasure} when the warm-up ends. */
    static Result pace(String bootstrap, String topic, WireSamples samples, int rate, Duration warmUp,
            Duration measured, Runnable onMeasure) throws InterruptedException {
        long sliceNanos = TimeUnit.MILLISECONDS.toNanos(5);
        long start = System.nanoTime();
        long warmEnd = start + warmUp.toNanos();
        long end = warmEnd + measured.toNanos();
        long sent = 0;
        long sentAtWarmEnd = -1;
        try (KafkaProducer<byte[], byte[]> producer = AggregatorBenchmark.producer(bootstrap, 1)) {
            for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                if (sentAtWarmEnd < 0 && now >= warmEnd) {
                    onMeasure.run();
                    sentAtWarmEnd = sent;
                }
                long due = (long) ((now - start) / 1e9 * rate);
                long scrapeTime = System.currentTimeMillis();
                while (sent < due) {
                    byte[] value = samples.next(scrapeTime);
                    producer.send(new ProducerRecord<>(topic, samples.lastKey(), value));
                    sent++;
                }
                TimeUnit.NANOSECONDS.sleep(sliceNanos - (System.nanoTime() - now) % sliceNanos);
            }
            producer.flush();
        }
        return new Result(sent, sent - Math.max(0, sentAtWarmEnd));
    }
}
