package dev.osprey.collector.publish;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Logs a recurring failure at WARN at most once per period, reporting how many occurrences were not logged in
 * between, so a broker outage does not flood the log while no failure goes unreported. Thread-safe.
 */
final class ThrottledLog {

    private final Logger log;
    private final long periodNanos;
    private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    ThrottledLog(Logger log, long periodNanos) {
        this.log = log;
        this.periodNanos = periodNanos;
    }

    void warn(String message, Throwable error) {
        long now = System.nanoTime();
        long next = nextNanos.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextNanos.compareAndSet(next, now + periodNanos)) {
            long skipped = suppressed.getAndSet(0);
            log.warn("{}{}", message, skipped > 0 ? " (" + skipped + " similar failures not logged)" : "", error);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
