package dev.osprey.collector.scrape;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.osprey.collector.CollectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes a changing set of targets, each on its own jittered schedule: the first tick lands at a random point of
 * the first interval (so endpoints spread out), every later tick at the interval shifted by up to
 * {@code jitter × interval}. Tick times are rounded up to a grid of {@code interval / 20} (at most 1 ms), so ticks due
 * in the same grid step fire together and the scheduler and I/O threads wake once per step rather than once per
 * scrape; each endpoint's next tick is counted from its previous due time, so the rounding does not stretch the
 * interval. A tick is skipped (and counted) when that endpoint's previous scrape is still running —
 * never two overlapping scrapes of one endpoint — or when {@code maxConcurrent} scrapes are already in flight.
 * Every finished scrape goes to the sink, on the HTTP client's I/O thread; the sink must not block.
 *
 * <p>Thread-safe. {@link #close()} stops all ticks; in-flight scrapes finish but their outcomes are dropped.
 */
public final class ScrapeScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeScheduler.class);

    private final HttpScraper scraper;
    private final ScheduledExecutorService ticker;
    private final long intervalNanos;
    private final long gridNanos;
    private final double jitter;
    private final Semaphore permits;
    private final Consumer<ScrapeOutcome> sink;
    private final CollectorMetrics metrics;
    private final Map<String, EndpointSchedule> schedules = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param ticker runs ticks; owned by the caller, must not be blocked by other work
     * @param sink receives every outcome; called concurrently, must not block or throw
     */
    public ScrapeScheduler(HttpScraper scraper, ScheduledExecutorService ticker, Duration interval, double jitter,
            int maxConcurrent, Consumer<ScrapeOutcome> sink, CollectorMetrics metrics) {
        this.scraper = scraper;
        this.ticker = ticker;
        this.intervalNanos = interval.toNanos();
        this.gridNanos = Math.max(1, Math.min(1_000_000, intervalNanos / 20));
        this.jitter = jitter;
        this.permits = new Semaphore(maxConcurrent);
        this.sink = sink;
        this.metrics = metrics;
    }

    /**
     * Makes the scheduled set equal {@code targets} (by endpoint id): new ones start, missing ones stop, changed
     * ones (another address, port or engine) restart with the new target.
     */
    public synchronized void update(Collection<ScrapeTarget> targets) {
        if (closed) {
            return;
        }
        Map<String, ScrapeTarget> wanted = new java.util.LinkedHashMap<>();
        targets.forEach(t -> wanted.putIfAbsent(t.endpoint().endpointId(), t));
        for (Map.Entry<String, EndpointSchedule> entry : List.copyOf(schedules.entrySet())) {
            ScrapeTarget next = wanted.get(entry.getKey());
            if (next == null || !next.equals(entry.getValue().target)) {
                entry.getValue().stop();
                schedules.remove(entry.getKey());
            }
        }
        for (ScrapeTarget target : wanted.values()) {
            schedules.computeIfAbsent(target.endpoint().endpointId(), id -> {
                EndpointSchedule schedule = new EndpointSchedule(target);
                schedule.scheduleAt(System.nanoTime()
                        + (long) (ThreadLocalRandom.current().nextDouble() * intervalNanos));
                return schedule;
            });
        }
    }

    /** How many endpoints are being scraped. */
    public int endpointCount() {
        return schedules.size();
    }

    /** How many scrapes are in flight. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public synchronized void close() {
        closed = true;
        schedules.values().forEach(EndpointSchedule::stop);
        schedules.clear();
    }

    /** The ticking of one endpoint. */
    private final class EndpointSchedule implements Runnable {
        private final ScrapeTarget target;
        private final AtomicBoolean scraping = new AtomicBoolean();
        private volatile boolean active = true;
        private volatile java.util.concurrent.ScheduledFuture<?> next;
        /** When the pending tick is due, before rounding to the grid; only the ticker thread changes it after start. */
        private long dueNanos;

        EndpointSchedule(ScrapeTarget target) {
            this.target = target;
        }

        void scheduleAt(long due) {
            if (active && !closed) {
                dueNanos = due;
                long onGrid = due - Math.floorMod(due, gridNanos) + gridNanos;
                try {
                    next = ticker.schedule(this, Math.max(0, onGrid - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    if (!closed) {
                        LOG.warn("cannot schedule scrape of {}", target.endpoint().endpointId(), e);
                    }
                }
            }
        }

        void stop() {
            active = false;
            java.util.concurrent.ScheduledFuture<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
        }

        @Override
        public void run() {
            if (!active || closed) {
                return;
            }
            double shift = jitter == 0 ? 0 : (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
            long now = System.nanoTime();
            long due = dueNanos + (long) (intervalNanos * (1 + shift));
            scheduleAt(due - now < -intervalNanos ? now : due);
            if (!scraping.compareAndSet(false, true)) {
                metrics.skippedOverlap();
                return;
            }
            if (!permits.tryAcquire()) {
                scraping.set(false);
                metrics.skippedConcurrency();
                return;
            }
            inFlight.incrementAndGet();
            CompletableFuture<ScrapeOutcome> outcome;
            try {
                outcome = scraper.scrape(target);
            } catch (RuntimeException e) {
                release();
                LOG.warn("scrape of {} could not start", target.endpoint().endpointId(), e);
                return;
            }
            outcome.whenComplete((result, error) -> {
                release();
                if (error != null) {
                    LOG.warn("scrape of {} ended abnormally", target.endpoint().endpointId(), error);
                } else if (active && !closed) {
                    metrics.scraped(result.status(), result.durationMicros());
                    try {
                        sink.accept(result);
                    } catch (RuntimeException e) {
                        LOG.warn("sample of {} was not accepted", target.endpoint().endpointId(), e);
                    }
                }
            });
        }

        private void release() {
            inFlight.decrementAndGet();
            permits.release();
            scraping.set(false);
        }
    }
}
