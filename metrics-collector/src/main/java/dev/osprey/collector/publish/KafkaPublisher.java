package dev.osprey.collector.publish;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.collector.CollectorMetrics;
import dev.osprey.collector.scrape.ScrapeOutcome;
import dev.osprey.schemas.avro.EndpointMembership;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicGate;
import dev.osprey.schemas.kafka.Topic;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes scrape outcomes and membership changes from one dedicated thread, so neither scrapers nor discovery
 * ever block on Kafka. Samples go through a {@link LatestSampleBuffer} (one pending sample per endpoint, newer
 * replaces older and is counted); membership changes are queued in order and never dropped. Records are serialized
 * on the publishing thread with the topics' serdes and sent with an idempotent producer, from the moment the
 * {@link TopicGate} reports the topics served (until then samples and membership changes wait, and a warning every
 * {@link TopicGate#NOTE_EVERY} says so).
 *
 * <p>Sequence numbers are assigned when a sample is offered, so a replaced sample leaves a gap that consumers can
 * see. Thread-safe; {@link #close(Duration)} publishes what is pending within the timeout, then closes the producer.
 */
public final class KafkaPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

    /** A sample waiting for Kafka, with the scrape's end for latency measurement. */
    private record Pending(EndpointMetrics record, long finishedNanos) {
    }

    private final Producer<byte[], byte[]> producer;
    private final TopicGate gate;
    private final KafkaClientMetrics producerMetrics;
    private final OspreyTopics topics;
    private final RecordMapper mapper;
    private final CollectorMetrics metrics;
    private final LatestSampleBuffer<Pending> samples = new LatestSampleBuffer<>();
    private final Queue<ProducerRecord<byte[], byte[]>> membership = new ConcurrentLinkedQueue<>();
    private final AtomicLong metricsSequence = new AtomicLong();
    private final AtomicLong membershipSequence = new AtomicLong();
    private final ThrottledLog failures = new ThrottledLog(LOG, TimeUnit.SECONDS.toNanos(10));
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean closed;
    private volatile boolean topicsServed;

    /** Producer settings chosen for fresh, ordered, duplicate-free metrics. */
    public static Properties producerProperties(String bootstrapServers, String clientId, int lingerMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** Takes ownership of {@code producer} and {@code gate} and starts the publishing thread. */
    public KafkaPublisher(Producer<byte[], byte[]> producer, TopicGate gate, OspreyTopics topics, RecordMapper mapper,
            CollectorMetrics metrics, String threadName) {
        this.producer = producer;
        this.gate = gate;
        this.topics = topics;
        this.mapper = mapper;
        this.metrics = metrics;
        this.producerMetrics = new KafkaClientMetrics(producer);
        this.producerMetrics.bindTo(metrics.registry());
        metrics.gauge("osprey.collector.publish.pending", "Samples and membership records waiting for Kafka",
                () -> samples.size() + membership.size());
        metrics.gauge("osprey.collector.publish.topics-served",
                "1 once the metrics and membership topics are served by their leaders, 0 while publishing waits",
                () -> topicsServed ? 1 : 0);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Creates the idempotent producer from {@link #producerProperties}, a {@link TopicGate#served served-topics gate}
     * for the metrics and membership topics, and a publisher owning both.
     */
    public static KafkaPublisher create(String bootstrapServers, String clientId, int lingerMs, OspreyTopics topics,
            RecordMapper mapper, CollectorMetrics metrics) {
        TopicGate gate = TopicGate.served(bootstrapServers, clientId + "-topic-gate",
                List.of(topics.endpointMetrics().name(), topics.endpoints().name()));
        Producer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(producerProperties(bootstrapServers, clientId, lingerMs));
        } catch (RuntimeException e) {
            gate.close();
            throw e;
        }
        return new KafkaPublisher(producer, gate, topics, mapper, metrics, clientId + "-publisher");
    }

    /** Queues the sample of {@code outcome}, replacing a pending one of the same endpoint. Never blocks. */
    public void offer(ScrapeOutcome outcome) {
        if (closed) {
            return;
        }
        EndpointMetrics record = mapper.metrics(outcome, metricsSequence.incrementAndGet());
        if (samples.offer(record.getEndpointId(), new Pending(record, outcome.finishedNanos()))) {
            metrics.sampleReplaced();
        }
    }

    /** Queues membership changes in order: upserts as records, removals as tombstones. Never blocks. */
    public void offerMembership(List<MembershipChange> changes) {
        if (closed) {
            return;
        }
        Topic<String, EndpointMembership> topic = topics.endpoints();
        long now = System.currentTimeMillis();
        for (MembershipChange change : changes) {
            byte[] key = topic.keySerde().serializer().serialize(topic.name(), change.endpointId());
            byte[] value = null;
            if (change instanceof MembershipChange.Upsert upsert) {
                PoolEndpoint endpoint = upsert.endpoint();
                EndpointMembership record = mapper.membership(endpoint, membershipSequence.incrementAndGet(), now);
                try {
                    value = topic.valueSerde().serializer().serialize(topic.name(), record);
                } catch (RuntimeException e) {
                    metrics.membershipPublishFailed();
                    failures.warn("cannot serialize membership of " + change.endpointId(), e);
                    continue;
                }
            }
            membership.add(new ProducerRecord<>(topic.name(), key, value));
        }
    }

    private void run() {
        if (!awaitTopics()) {
            LOG.warn("closed before topics {} and {} were served: {} samples and {} membership records not published",
                    topics.endpointMetrics().name(), topics.endpoints().name(), samples.size(), membership.size());
            return;
        }
        try {
            while (true) {
                ProducerRecord<byte[], byte[]> change;
                while ((change = membership.poll()) != null) {
                    send(change, 0L, false);
                }
                if (!running && samples.size() == 0 && membership.isEmpty()) {
                    return;
                }
                Optional<Pending> next = samples.poll(20, TimeUnit.MILLISECONDS);
                if (next.isPresent()) {
                    publish(next.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info("publisher interrupted with {} samples and {} membership records pending", samples.size(),
                    membership.size());
        }
    }

    /** Waits, while running, until the gate reports the topics served; false when closed first. */
    private boolean awaitTopics() {
        topicsServed = gate.awaitServedWhile(() -> running, () -> LOG.warn("topics {} and {} are not served yet (the"
                + " aggregator creates them); holding {} samples and {} membership records",
                topics.endpointMetrics().name(), topics.endpoints().name(), samples.size(), membership.size()));
        return topicsServed;
    }

    private void publish(Pending pending) {
        Topic<String, EndpointMetrics> topic = topics.endpointMetrics();
        EndpointMetrics record = pending.record();
        byte[] key;
        byte[] value;
        try {
            key = topic.keySerde().serializer().serialize(topic.name(), record.getPoolId());
            value = topic.valueSerde().serializer().serialize(topic.name(), record);
        } catch (RuntimeException e) {
            metrics.metricsPublishFailed();
            failures.warn("cannot serialize metrics of " + record.getEndpointId(), e);
            return;
        }
        send(new ProducerRecord<>(topic.name(), key, value), pending.finishedNanos(), true);
    }

    private void send(ProducerRecord<byte[], byte[]> record, long finishedNanos, boolean isMetrics) {
        try {
            producer.send(record, (meta, error) -> {
                if (error != null) {
                    countFailure(isMetrics);
                    failures.warn("Kafka did not accept a record for " + record.topic(), error);
                } else if (isMetrics) {
                    metrics.published(System.nanoTime() - finishedNanos);
                }
            });
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
            countFailure(isMetrics);
            failures.warn("interrupted while sending to " + record.topic(), e);
        } catch (RuntimeException e) {
            countFailure(isMetrics);
            failures.warn("cannot send to " + record.topic(), e);
        }
    }

    private void countFailure(boolean isMetrics) {
        if (isMetrics) {
            metrics.metricsPublishFailed();
        } else {
            metrics.membershipPublishFailed();
        }
    }

    /** Samples waiting for Kafka. */
    public int pendingSamples() {
        return samples.size();
    }

    /**
     * Stops accepting, publishes what is pending within {@code timeout}, then flushes and closes the producer with
     * whatever time is left. Idempotent.
     */
    public synchronized void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
        }
        producerMetrics.close();
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
