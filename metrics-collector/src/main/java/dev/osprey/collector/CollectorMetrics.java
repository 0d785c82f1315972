package dev.osprey.collector;

import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.osprey.schemas.avro.ScrapeStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The collector's Micrometer meters, registered once. Names (Prometheus form in brackets):
 * {@code osprey.collector.scrapes{status}} [osprey_collector_scrapes_total] counts finished scrapes by status, so
 * its rate is scrapes per second and its non-ok series are failures by kind; {@code osprey.collector.scrape.duration}
 * times scrapes; {@code osprey.collector.scrapes.skipped{reason=overlap|concurrency}} counts ticks skipped because
 * the previous scrape of the endpoint was still running or no concurrency slot was free;
 * {@code osprey.collector.samples.replaced} counts samples overwritten in the publish buffer before Kafka took them;
 * {@code osprey.collector.publish.latency} times scrape end to broker acknowledgement;
 * {@code osprey.collector.publish.errors{topic}} counts records Kafka refused; gauges
 * {@code osprey.collector.endpoints}, {@code osprey.collector.scrapes.in-flight} and
 * {@code osprey.collector.publish.pending}. Every meter is tagged {@code collector=<collector id>} so several
 * collectors can share a registry; {@link #close()} removes the gauges. Thread-safe.
 */
public final class CollectorMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();
    private final Map<ScrapeStatus, Counter> scrapes = new EnumMap<>(ScrapeStatus.class);
    private final Map<ScrapeStatus, Timer> durations = new EnumMap<>(ScrapeStatus.class);
    private final Counter skippedOverlap;
    private final Counter skippedConcurrency;
    private final Counter replaced;
    private final Timer publishLatency;
    private final Counter metricsPublishErrors;
    private final Counter membershipPublishErrors;

    /** Registers the meters in {@code registry}, tagged with {@code collectorId}. */
    public CollectorMetrics(MeterRegistry registry, String collectorId) {
        this.registry = registry;
        this.tags = Tags.of("collector", collectorId);
        for (ScrapeStatus status : ScrapeStatus.values()) {
            String tag = status.name().toLowerCase(java.util.Locale.ROOT);
            scrapes.put(status, Counter.builder("osprey.collector.scrapes").tag("status", tag)
                    .description("Finished scrapes by status").tags(tags).register(registry));
            durations.put(status, Timer.builder("osprey.collector.scrape.duration").tag("status", tag)
                    .description("Scrape duration from request start to parsed page or failure").tags(tags).register(registry));
        }
        skippedOverlap = Counter.builder("osprey.collector.scrapes.skipped").tag("reason", "overlap")
                .description("Ticks skipped because the endpoint's previous scrape was still running").tags(tags).register(registry);
        skippedConcurrency = Counter.builder("osprey.collector.scrapes.skipped").tag("reason", "concurrency")
                .description("Ticks skipped because all concurrent scrape slots were taken").tags(tags).register(registry);
        replaced = Counter.builder("osprey.collector.samples.replaced")
                .description("Samples replaced by a newer one of the same endpoint before Kafka took them")
                .tags(tags).register(registry);
        publishLatency = Timer.builder("osprey.collector.publish.latency")
                .description("From scrape end to broker acknowledgement").tags(tags).register(registry);
        metricsPublishErrors = Counter.builder("osprey.collector.publish.errors").tag("topic", "endpoint-metrics")
                .description("Records Kafka did not accept").tags(tags).register(registry);
        membershipPublishErrors = Counter.builder("osprey.collector.publish.errors").tag("topic", "endpoints")
                .description("Records Kafka did not accept").tags(tags).register(registry);
    }

    public void scraped(ScrapeStatus status, long durationMicros) {
        scrapes.get(status).increment();
        durations.get(status).record(durationMicros, TimeUnit.MICROSECONDS);
    }

    public void skippedOverlap() {
        skippedOverlap.increment();
    }

    public void skippedConcurrency() {
        skippedConcurrency.increment();
    }

    public void sampleReplaced() {
        replaced.increment();
    }

    public void published(long latencyNanos) {
        publishLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    public void metricsPublishFailed() {
        metricsPublishErrors.increment();
    }

    public void membershipPublishFailed() {
        membershipPublishErrors.increment();
    }

    /** Registers a gauge read from {@code value} (held strongly by the registry). */
    public void gauge(String name, String description, Supplier<Number> value) {
        gauges.add(Gauge.builder(name, value).description(description).tags(tags).strongReference(true)
                .register(registry));
    }

    /** Removes the gauges, which would otherwise keep reporting a closed collector. Counters and timers stay. */
    @Override
    public void close() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
