package dev.osprey.epp.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osprey.api.Criticality;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Decisions made before the aggregator has created the event topics wait for them instead of being lost. */
class KafkaEventPublisherIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void eventsOfferedBeforeTheTopicsExistArePublishedOnceTheyAre() throws Exception {
        TopicNames names = TopicNames.withPrefix("it-events-early.");
        OspreyTopics topics = OspreyTopics.create(names, SchemaRegistries.fromUrl("mock://it-events-early"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EventFactory factory = new EventFactory("c", "epp-1", "c/ns/p", Clock.systemUTC());
        try (KafkaEventPublisher publisher = KafkaEventPublisher.start(kafka.bootstrapServers(),
                topics.routingDecisions(), topics.requestOutcomes(), factory, 100, meters)) {
            for (int i = 0; i < 5; i++) {
                publisher.decision(new EventFactory.Decision("r" + i, Optional.of("m"), Optional.of("m"),
                        Criticality.STANDARD, List.of("10.0.0.1:8000"), Map.of(), 10, 1000, 200, Optional.empty()));
            }
            // longer than a producer waits for a missing topic's metadata (5 s), after which a send would fail
            Thread.sleep(6_000);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).noneMatch(n -> n.startsWith("it-events-early."));
            }
            assertThat(meters.get("osprey_epp_events_failed").counter().count()).isZero();

            TopicProvisioner.ensureTopics(kafka.bootstrapServers(), names, new TopicProvisioner.Layout(1, (short) 1));

            AtomicInteger received = new AtomicInteger();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "it-events-early",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(names.routingDecisions()));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    received.addAndGet(consumer.poll(Duration.ofMillis(200)).count());
                    return received.get() == 5;
                });
            }
            assertThat(meters.get("osprey_epp_events_failed").counter().count()).isZero();
            assertThat(meters.get("osprey_epp_events_dropped").counter().count()).isZero();
        }
    }
}
