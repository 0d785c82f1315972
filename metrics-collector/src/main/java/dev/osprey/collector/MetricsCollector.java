package dev.osprey.collector;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.collector.discovery.EndpointSource;
import dev.osprey.collector.parse.EngineType;
import dev.osprey.collector.publish.KafkaPublisher;
import dev.osprey.collector.publish.MembershipTracker;
import dev.osprey.collector.publish.RecordMapper;
import dev.osprey.collector.scrape.HttpScraper;
import dev.osprey.collector.scrape.ParserRegistry;
import dev.osprey.collector.scrape.ScrapeScheduler;
import dev.osprey.collector.scrape.ScrapeTarget;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running collector: polls its {@link EndpointSource}, scrapes every endpoint's metrics page on a jittered
 * schedule, and publishes one {@code EndpointMetrics} record per scrape (key: pool id) plus membership records
 * (key: endpoint id, tombstone on removal) to Kafka. Failed scrapes are published too, with their status.
 *
 * <p>Threads: one scheduler thread (ticks and discovery), {@code ioThreads} HTTP/parse threads and one
 * publishing thread, all daemons. Thread-safe; {@link #close()} is idempotent.
 */
public final class MetricsCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsCollector.class);

    private final CollectorConfig config;
    private final EndpointSource source;
    private final ScheduledThreadPoolExecutor ticker;
    private final HttpScraper scraper;
    private final ScrapeScheduler scheduler;
    private final KafkaPublisher publisher;
    private final MembershipTracker membership = new MembershipTracker();
    private final ParserRegistry parsers;
    private final CollectorMetrics metrics;
    private final java.util.Set<String> warnedEngines = new java.util.HashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ScheduledFuture<?> discovery;

    private MetricsCollector(CollectorConfig config, EndpointSource source, MeterRegistry meters) {
        this.config = config;
        this.source = source;
        this.metrics = new CollectorMetrics(meters, config.collectorId());
        this.parsers = ParserRegistry.of(config.engineMappings());
        String name = "osprey-collector-" + config.collectorId();
        OspreyTopics topics = OspreyTopics.create(config.topicNames(), SchemaRegistries.fromUrl(config.schemaRegistryUrl()));
        this.publisher = KafkaPublisher.create(config.bootstrapServers(), name, config.lingerMs(), topics,
                new RecordMapper(config.cluster(), config.collectorId()), metrics);
        this.ticker = new ScheduledThreadPoolExecutor(1, threads(name + "-scheduler"));
        this.ticker.setRemoveOnCancelPolicy(true);
        this.scraper = new HttpScraper(config.scrapeTimeout(), config.maxPageBytes(), config.ioThreads(), name + "-io");
        this.scheduler = new ScrapeScheduler(scraper, ticker, config.scrapeInterval(), config.scrapeJitter(),
                config.maxConcurrentScrapes(), publisher::offer, metrics);
        metrics.gauge("osprey.collector.endpoints", "Endpoints this collector scrapes", scheduler::endpointCount);
        metrics.gauge("osprey.collector.scrapes.in-flight", "Scrapes in flight", scheduler::inFlight);
    }

    /**
     * Starts collecting: the endpoint source is read once before this returns (so scraping starts at once), then
     * every discovery interval.
     *
     * @throws IllegalArgumentException when the schema registry URL is unusable
     * @throws org.apache.kafka.common.KafkaException when the producer cannot be created
     */
    public static MetricsCollector start(CollectorConfig config, EndpointSource source, MeterRegistry meters) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(meters, "meters");
        MetricsCollector collector = new MetricsCollector(config, source, meters);
        collector.reconcile();
        long period = config.discoveryInterval().toNanos();
        collector.discovery = collector.ticker.scheduleWithFixedDelay(collector::reconcile, period, period,
                TimeUnit.NANOSECONDS);
        LOG.info("collector {} started: cluster {}, {} endpoints, every {}, topics {}", config.collectorId(),
                config.cluster(), collector.scheduler.endpointCount(), config.scrapeInterval(), config.topicNames());
        return collector;
    }

    /** The configuration this collector runs with. */
    public CollectorConfig config() {
        return config;
    }

    /** How many endpoints are being scraped now. */
    public int endpointCount() {
        return scheduler.endpointCount();
    }

    private synchronized void reconcile() {
        if (closed.get()) {
            return;
        }
        try {
            List<PoolEndpoint> endpoints = source.endpoints();
            for (PoolEndpoint endpoint : endpoints) {
                if (EngineType.fromLabel(endpoint.engine()).isEmpty() && warnedEngines.add(endpoint.endpointId())) {
                    LOG.warn("endpoint {} has unknown engine '{}'; reading it with the vllm mapping",
                            endpoint.endpointId(), endpoint.engine());
                }
            }
            scheduler.update(endpoints.stream().map(e -> ScrapeTarget.of(e, config.metricsPath(), parsers)).toList());
            if (config.publishMembership()) {
                publisher.offerMembership(membership.update(source.membershipEndpoints()));
            }
        } catch (RuntimeException e) {
            LOG.warn("endpoint discovery failed; keeping the previous endpoints", e);
        }
    }

    /** Stops scraping, publishes pending records within the close timeout and closes the producer. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> task = discovery;
        if (task != null) {
            task.cancel(false);
        }
        synchronized (this) {
            scheduler.close();
        }
        scraper.close();
        publisher.close(config.closeTimeout());
        ticker.shutdownNow();
        metrics.close();
        LOG.info("collector {} closed", config.collectorId());
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
