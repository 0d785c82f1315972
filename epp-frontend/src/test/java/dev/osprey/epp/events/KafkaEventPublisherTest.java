package dev.osprey.epp.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.api.Criticality;
import dev.osprey.epp.request.Usage;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaEventPublisherTest {

    private final EventFactory factory = new EventFactory("c", "epp-1", "c/ns/p", Clock.systemUTC());

    @Test
    void dropsAndCountsEventsWhenTheBufferIsFullWithoutBlocking() {
        OspreyTopics topics = OspreyTopics.create(TopicNames.withPrefix("unit-pub."),
                SchemaRegistries.fromUrl("mock://unit-pub"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // Nothing listens on port 1: the publisher thread blocks on metadata in its first send, so the queue fills
        // up. At most one drained batch (at most the capacity) plus a full queue (the capacity) gets through.
        int capacity = 3;
        KafkaEventPublisher publisher = KafkaEventPublisher.start("127.0.0.1:1", topics.routingDecisions(),
                topics.requestOutcomes(), factory, capacity, meters);
        double droppedBeforeClose;
        try {
            for (int i = 0; i < 20; i++) {
                publisher.decision(new EventFactory.Decision("r" + i, Optional.of("m"), Optional.of("m"),
                        Criticality.STANDARD, List.of("10.0.0.1:8000"), Map.of("x", 1.0), 10, 1000, 200,
                        Optional.empty()));
            }
            droppedBeforeClose = meters.get("osprey_epp_events_dropped").counter().count();
            assertThat(droppedBeforeClose).isGreaterThanOrEqualTo(20 - 2 * capacity);
            assertThat(publisher.queued()).isLessThanOrEqualTo(capacity);
        } finally {
            publisher.close(Duration.ofMillis(200));
        }
        publisher.outcome(new EventFactory.Outcome("late", "10.0.0.1:8000", 200, Optional.empty(), 1.0, Usage.NONE,
                false));
        assertThat(meters.get("osprey_epp_events_dropped").counter().count()).as("closed publisher drops")
                .isEqualTo(droppedBeforeClose + 1);
    }

    @Test
    void decisionRecordsCarryOutcomeAndSequence() {
        var shed = factory.decision(new EventFactory.Decision("a", Optional.empty(), Optional.empty(),
                Criticality.SHEDDABLE, List.of(), Map.of(), 0, 5, 429, Optional.of("saturated")));
        var routed = factory.decision(new EventFactory.Decision("b", Optional.of("m"), Optional.of("m2"),
                Criticality.CRITICAL, List.of("1.2.3.4:80"), Map.of("e", 2.0), 7, 5, 200, Optional.empty()));
        assertThat(shed.getOutcome().name()).isEqualTo("SHED");
        assertThat(shed.getIncomingModel()).isNull();
        assertThat(routed.getOutcome().name()).isEqualTo("ROUTED");
        assertThat(routed.getScores()).singleElement().satisfies(s -> assertThat(s.getScore()).isEqualTo(2.0));
        assertThat(routed.getSequence()).isEqualTo(shed.getSequence() + 1);
        assertThat(routed.getEppReplicaId()).isEqualTo("epp-1");
    }
}
