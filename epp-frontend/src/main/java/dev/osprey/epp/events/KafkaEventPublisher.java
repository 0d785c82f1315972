package dev.osprey.epp.events;

import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import dev.osprey.schemas.kafka.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes decisions and outcomes to Kafka from one background thread. Callers only offer to a bounded queue;
 * when it is full the event is dropped and counted ({@code osprey_epp_events_dropped_total}), so a slow or absent
 * broker never slows a stream. Records are keyed by pool id. Serialization happens on the sender thread.
 * {@link #close()} drains what is queued (bounded by a timeout) and closes the producer.
 */
public final class KafkaEventPublisher implements RequestEvents, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventPublisher.class);
    private static final Object STOP = new Object();

    private final BlockingQueue<Object> queue;
    private final KafkaProducer<String, byte[]> producer;
    private final Topic<String, RoutingDecision> decisions;
    private final Topic<String, RequestOutcome> outcomes;
    private final String poolId;
    private final Counter dropped;
    private final Counter failed;
    private final Counter sent;
    private final Thread thread;
    private volatile boolean closing;

    private KafkaEventPublisher(String bootstrapServers, Topic<String, RoutingDecision> decisions,
            Topic<String, RequestOutcome> outcomes, String poolId, int capacity, MeterRegistry meters) {
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.decisions = Objects.requireNonNull(decisions, "decisions");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.poolId = Objects.requireNonNull(poolId, "poolId");
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "osprey-epp-events-" + poolId.replace('/', '.'));
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.dropped = Counter.builder("osprey_epp_events_dropped").description(
                "Decisions and outcomes dropped because the publish buffer was full").register(meters);
        this.failed = Counter.builder("osprey_epp_events_failed").description(
                "Decisions and outcomes Kafka did not accept").register(meters);
        this.sent = Counter.builder("osprey_epp_events_sent").description(
                "Decisions and outcomes handed to the Kafka producer").register(meters);
        Gauge.builder("osprey_epp_events_queued", queue, BlockingQueue::size)
                .description("Events waiting to be published").register(meters);
        this.thread = new Thread(this::run, "osprey-epp-events");
        this.thread.setDaemon(true);
    }

    /**
     * Starts a publisher whose queue holds at most {@code capacity} events.
     *
     * @throws org.apache.kafka.common.KafkaException when the producer cannot be created
     */
    public static KafkaEventPublisher start(String bootstrapServers, Topic<String, RoutingDecision> decisions,
            Topic<String, RequestOutcome> outcomes, String poolId, int capacity, MeterRegistry meters) {
        KafkaEventPublisher p = new KafkaEventPublisher(bootstrapServers, decisions, outcomes, poolId, capacity,
                meters);
        p.thread.start();
        return p;
    }

    @Override
    public void decision(RoutingDecision decision) {
        offer(decision);
    }

    @Override
    public void outcome(RequestOutcome outcome) {
        offer(outcome);
    }

    private void offer(Object event) {
        // One slot is kept free for the STOP marker.
        if (closing || queue.remainingCapacity() <= 1 || !queue.offer(event)) {
            dropped.increment();
        }
    }

    private void run() {
        try {
            while (true) {
                Object event = queue.take();
                if (event == STOP) {
                    return;
                }
                send(event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(Object event) {
        ProducerRecord<String, byte[]> record;
        try {
            if (event instanceof RoutingDecision d) {
                record = new ProducerRecord<>(decisions.name(), poolId,
                        decisions.valueSerde().serializer().serialize(decisions.name(), d));
            } else {
                RequestOutcome o = (RequestOutcome) event;
                record = new ProducerRecord<>(outcomes.name(), poolId,
                        outcomes.valueSerde().serializer().serialize(outcomes.name(), o));
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
            LOG.warn("cannot publish {}: {}", event.getClass().getSimpleName(), e.getMessage(), e);
        }
    }

    /** Publishes what is queued (waiting up to {@code timeout}), then closes the producer; idempotent. */
    public void close(Duration timeout) {
        if (closing) {
            return;
        }
        closing = true;
        queue.offer(STOP);
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("event publisher did not drain within {}; {} events lost", timeout, queue.size());
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
        return queue.size();
    }
}
