package dev.osprey.collector.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.collector.CollectorMetrics;
import dev.osprey.collector.parse.ParsedMetrics;
import dev.osprey.collector.scrape.ParserRegistry;
import dev.osprey.collector.scrape.ScrapeOutcome;
import dev.osprey.collector.scrape.ScrapeTarget;
import dev.osprey.schemas.avro.ScrapeStatus;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicGate;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KafkaPublisherTest {

    private static final OspreyTopics TOPICS = OspreyTopics.create(TopicNames.withPrefix("unit-publisher."),
            SchemaRegistries.fromUrl("mock://publisher-test"));

    /** A producer whose first send blocks until released, like a broker that stalls. */
    private static final class StallingProducer extends MockProducer<byte[], byte[]> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        StallingProducer() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.send(record, callback);
        }
    }

    private static ScrapeOutcome outcome(int waiting) {
        PoolEndpoint endpoint = new PoolEndpoint("c/ns/p:8000", "c/ns/pool", "p", "10.0.0.1", 8000, 0, "vllm",
                Map.of());
        ScrapeTarget target = ScrapeTarget.of(endpoint, "/metrics", ParserRegistry.builtIn());
        ParsedMetrics metrics = new ParsedMetrics(waiting, 1, 0.5, List.of(), List.of(), java.util.OptionalInt.empty(),
                java.util.OptionalInt.empty(), java.util.OptionalLong.empty(), java.util.OptionalDouble.empty(),
                java.util.OptionalDouble.empty());
        return new ScrapeOutcome(target, System.currentTimeMillis(), 100, System.nanoTime(), ScrapeStatus.OK,
                Optional.empty(), Optional.of(metrics));
    }

    @Test
    void whenKafkaStallsOnlyTheLatestSampleOfAnEndpointWaits() throws InterruptedException {
        StallingProducer producer = new StallingProducer();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaPublisher publisher = new KafkaPublisher(producer, TopicGate.OPEN, TOPICS, new RecordMapper("c", "col"),
                new CollectorMetrics(meters, "test"), "publisher-test");
        try {
            publisher.offer(outcome(1));
            assertThat(producer.entered.await(10, TimeUnit.SECONDS)).isTrue();
            publisher.offer(outcome(2));
            publisher.offer(outcome(3));
            assertThat(publisher.pendingSamples()).isEqualTo(1);
            producer.release.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
            List<Integer> waiting = producer.history().stream()
                    .map(r -> TOPICS.endpointMetrics().valueSerde().deserializer()
                            .deserialize(r.topic(), r.value()).getWaitingRequests())
                    .toList();
            assertThat(waiting).containsExactly(1, 3);
            assertThat(meters.get("osprey.collector.samples.replaced").counter().count()).isEqualTo(1.0);
            assertThat(new String(producer.history().get(0).key(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("c/ns/pool");
        } finally {
            producer.release.countDown();
            publisher.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void publishesMembershipAndTombstonesAndClosesIdempotently() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        KafkaPublisher publisher = new KafkaPublisher(producer, TopicGate.OPEN, TOPICS, new RecordMapper("c", "col"),
                new CollectorMetrics(new SimpleMeterRegistry(), "test"), "publisher-test-2");
        PoolEndpoint endpoint = new PoolEndpoint("c/ns/p:8000", "c/ns/pool", "p", "10.0.0.1", 8000, 0, "sglang",
                Map.of("k", "v"));

        publisher.offerMembership(List.of(new MembershipChange.Upsert(endpoint),
                new MembershipChange.Removed("c/ns/old:8000")));
        publisher.close(Duration.ofSeconds(5));
        publisher.close(Duration.ofSeconds(5));

        assertThat(producer.history()).hasSize(2);
        assertThat(producer.history().get(0).topic()).isEqualTo("unit-publisher.endpoints");
        assertThat(producer.history().get(0).value()).isNotNull();
        assertThat(producer.history().get(1).value()).isNull();
        assertThat(producer.closed()).isTrue();
    }

    /** A gate that opens when told to, counting the questions asked. */
    private static final class LatchGate implements TopicGate {
        final CountDownLatch open = new CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public boolean awaitServed(Duration timeout) {
            asked.incrementAndGet();
            try {
                return open.await(Math.min(timeout.toMillis(), 20), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Test
    void holdsEverythingUntilTheTopicsAreServedThenSendsIt() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        LatchGate gate = new LatchGate();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaPublisher publisher = new KafkaPublisher(producer, gate, TOPICS, new RecordMapper("c", "col"),
                new CollectorMetrics(meters, "test"), "publisher-test-3");
        try {
            publisher.offerMembership(List.of(new MembershipChange.Removed("c/ns/old:8000")));
            publisher.offer(outcome(4));
            await().atMost(Duration.ofSeconds(10)).until(() -> gate.asked.get() >= 3);
            assertThat(producer.history()).isEmpty();
            assertThat(meters.get("osprey.collector.publish.topics-served").gauge().value()).isZero();

            gate.open.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
            assertThat(producer.history()).extracting(ProducerRecord::topic)
                    .containsExactly("unit-publisher.endpoints", "unit-publisher.endpoint-metrics");
            assertThat(meters.get("osprey.collector.publish.topics-served").gauge().value()).isEqualTo(1.0);
        } finally {
            publisher.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void closingWhileTheTopicsAreMissingSendsNothingAndClosesTheProducer() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        LatchGate gate = new LatchGate();
        KafkaPublisher publisher = new KafkaPublisher(producer, gate, TOPICS, new RecordMapper("c", "col"),
                new CollectorMetrics(new SimpleMeterRegistry(), "test"), "publisher-test-4");
        publisher.offer(outcome(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.asked.get() >= 1);

        publisher.close(Duration.ofSeconds(5));

        assertThat(producer.history()).isEmpty();
        assertThat(producer.closed()).isTrue();
    }
}
