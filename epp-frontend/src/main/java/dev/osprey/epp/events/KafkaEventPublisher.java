package dev.osprey.epp.events;

import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import dev.osprey.schemas.kafka.Topic;
import dev.osprey.schemas.kafka.TopicGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes decisions and outcomes to Kafka from one background thread. A caller (a gRPC thread) only stamps the
 * time and offers a small immutable value to a bounded lock-free queue; when the queue is full the event is
 * dropped and counted ({@code osprey_epp_events_dropped_total}), so a slow or absent broker never slows a stream.
 * Offering never takes a lock (a descheduled publisher thread holding one would stall the gRPC event loop) nor
 * wakes the publisher thread, which polls the queue, resting {@value #DRAIN_INTERVAL_MS} ms whenever it is empty. It
 * builds and serialises the Avro records (stamping the per-replica sequence in publish order) and hands them to a
 * producer that batches them for up to {@value #LINGER_MS} ms, so a busy EPP costs the broker tens of produce requests
 * a second instead of one per event. The linger is kept short because decisions are also picker state: the other
 * replicas learn this replica's in-flight requests and routed prefixes from them through the aggregator. Records
 * are keyed by pool id. Nothing is sent before both topics exist and are served ({@link TopicGate}); events queue
 * meanwhile. {@link #close()} drains what is queued (bounded by a timeout) and closes the producer.
 */
public final class KafkaEventPublisher implements RequestEvents, AutoCloseable {

    static final long DRAIN_INTERVAL_MS = 5;
    static final int LINGER_MS = 10;
    private static final int BATCH_BYTES = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventPublisher.class);

    /** An event as offered: what happened and when. */
    private record Pending(Object event, long atMs) {
    }

    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final KafkaProducer<String, byte[]> producer;
    private final Topic<String, RoutingDecision> decisions;
    private final Topic<String, RequestOutcome> outcomes;
    private final EventFactory factory;
    private final Counter dropped;
    private final Counter failed;
    private final Counter sent;
    private final TopicGate gate;
    private final Thread thread;
    private volatile boolean closing;

    private KafkaEventPublisher(String bootstrapServers, Topic<String, RoutingDecision> decisions,
            Topic<String, RequestOutcome> outcomes, EventFactory factory, int capacity, MeterRegistry meters) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.decisions = Objects.requireNonNull(decisions, "decisions");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.factory = Objects.requireNonNull(factory, "factory");
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        String clientId = "osprey-epp-events-" + factory.poolId().replace('/', '.');
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.gate = TopicGate.served(bootstrapServers, clientId + "-topic-gate",
                List.of(decisions.name(), outcomes.name()));
        this.dropped = Counter.builder("osprey_epp_events_dropped").description(
                "Decisions and outcomes dropped because the publish buffer was full").register(meters);
        this.failed = Counter.builder("osprey_epp_events_failed").description(
                "Decisions and outcomes Kafka did not accept").register(meters);
        this.sent = Counter.builder("osprey_epp_events_sent").description(
                "Decisions and outcomes handed to the Kafka producer").register(meters);
        Gauge.builder("osprey_epp_events_queued", queued, AtomicInteger::get)
                .description("Events waiting to be published").register(meters);
        this.thread = new Thread(this::run, "osprey-epp-events");
        this.thread.setDaemon(true);
    }

    /**
     * Starts a publisher whose queue holds at most {@code capacity} events, building records with {@code factory}.
     *
     * @throws org.apache.kafka.common.KafkaException when the producer cannot be created
     */
    public static KafkaEventPublisher start(String bootstrapServers, Topic<String, RoutingDecision> decisions,
            Topic<String, RequestOutcome> outcomes, EventFactory factory, int capacity, MeterRegistry meters) {
        KafkaEventPublisher p = new KafkaEventPublisher(bootstrapServers, decisions, outcomes, factory, capacity,
                meters);
        p.thread.start();
        return p;
    }

    @Override
    public void decision(EventFactory.Decision decision) {
        offer(decision);
    }

    @Override
    public void outcome(EventFactory.Outcome outcome) {
        offer(outcome);
    }

    /** Lock-free: a gRPC thread never waits for the publisher thread (which may be descheduled at any time). */
    private void offer(Object event) {
        Objects.requireNonNull(event, "event");
        if (closing || queued.incrementAndGet() > capacity) {
            if (!closing) {
                queued.decrementAndGet();
            }
            dropped.increment();
            return;
        }
        queue.add(new Pending(event, factory.nowMs()));
    }

    private void run() {
        if (!awaitTopics()) {
            LOG.warn("closed before topics {} and {} were served: {} events not published", decisions.name(),
                    outcomes.name(), queued.get());
            return;
        }
        while (!Thread.currentThread().isInterrupted()) {
            Pending p = queue.poll();
            if (p == null) {
                if (closing) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(DRAIN_INTERVAL_MS));
                continue;
            }
            queued.decrementAndGet();
            send(p);
        }
    }

    /**
     * Waits until the event topics are served, so that no send makes a broker auto-create one with its own
     * partition count (the aggregator joins decisions with the metrics by partition) before the aggregator has
     * created them; events queue meanwhile, and what overflows the queue is dropped and counted. False when closed
     * first.
     */
    private boolean awaitTopics() {
        return gate.awaitServedWhile(() -> !closing, () -> LOG.warn("topics {} and {} are not served yet (the"
                + " aggregator creates them); {} events queued", decisions.name(), outcomes.name(), queued.get()));
    }

    private void send(Pending pending) {
        ProducerRecord<String, byte[]> record;
        try {
            if (pending.event() instanceof EventFactory.Decision d) {
                record = new ProducerRecord<>(decisions.name(), factory.poolId(), decisions.valueSerde().serializer()
                        .serialize(decisions.name(), factory.decision(d, pending.atMs())));
            } else {
                EventFactory.Outcome o = (EventFactory.Outcome) pending.event();
                record = new ProducerRecord<>(outcomes.name(), factory.poolId(), outcomes.valueSerde().serializer()
                        .serialize(outcomes.name(), factory.outcome(o, pending.atMs())));
            }
            producer.send(record, (meta, error) -> {
                if (error != null) {
                    failed.increment();
                    LOG.warn("event for {} not published: {}", record.topic(), error.getMessage());
                }
            });
            sent.increment();
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warn("cannot publish {}: {}", pending.event().getClass().getSimpleName(), e.getMessage(), e);
        }
    }

    /** Publishes what is queued (waiting up to {@code timeout}), then closes the producer; idempotent. */
    public void close(Duration timeout) {
        if (closing) {
            return;
        }
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("event publisher did not drain within {}; {} events lost", timeout, queued.get());
            thread.interrupt();
        }
        producer.close(Duration.ofMillis(Math.max(100, timeout.toMillis())));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** Events waiting in the queue. */
    int queued() {
        return queued.get();
    }
}
