package dev.osprey.aggregator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.osprey.schemas.avro.EndpointHealth;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.avro.ScrapeStatus;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregatorTopologyTest {

    private static final String POOL_A = "c1/ns/pool-a";
    private static final String POOL_B = "c1/ns/pool-b";

    @TempDir
    Path stateDir;

    @Test
    void publishesEachPoolWithOnlyItsOwnEndpoints() {
        try (TopologyFixture f = new TopologyFixture(stateDir, TopologyFixture.defaults().withEmitInterval(Duration.ZERO))) {
            f.send(Samples.ok(POOL_A, "a1", f.now()).setWaitingRequests(3).build());
            f.send(Samples.ok(POOL_A, "a2", f.now()).build());
            f.send(Samples.ok(POOL_B, "b1", f.now()).build());

            List<TestRecord<String, PoolState>> out = f.drain();
            assertThat(out).extracting(TestRecord::key).containsExactly(POOL_A, POOL_A, POOL_B);
            PoolState a = out.get(1).value();
            assertThat(a.getEndpoints()).extracting(EndpointState::getEndpointId)
                    .containsExactly("c1/ns/a1:8000", "c1/ns/a2:8000");
            assertThat(a.getEndpoints().get(0).getWaitingRequests()).isEqualTo(3);
            assertThat(a.getEndpoints()).extracting(EndpointState::getHealth).containsOnly(EndpointHealth.HEALTHY);
            assertThat(a.getVersion()).isEqualTo(2);
            assertThat(a.getCluster()).isEqualTo("local");
            assertThat(a.getProducedAtMs()).isEqualTo(f.now());
            assertThat(out.get(2).value().getEndpoints()).extracting(EndpointState::getEndpointId)
                    .containsExactly("c1/ns/b1:8000");
            assertThat(out.get(2).value().getVersion()).isEqualTo(1);
        }
    }

    @Test
    void ignoresASampleOlderThanTheStoredOne() {
        try (TopologyFixture f = new TopologyFixture(stateDir, TopologyFixture.defaults().withEmitInterval(Duration.ZERO))) {
            f.send(Samples.ok(POOL_A, "a1", f.now()).setWaitingRequests(7).build());
            f.send(Samples.ok(POOL_A, "a1", f.now() - 50).setWaitingRequests(1).build());

            List<TestRecord<String, PoolState>> out = f.drain();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).value().getEndpoints().get(0).getWaitingRequests()).isEqualTo(7);
            assertThat(f.meters.get(AggregatorMetrics.SAMPLES).tag("result", "out_of_order").counter().count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void republishesAnEndpointAsStaleOnceItsMetricsPassTheThreshold() {
        try (TopologyFixture f = new TopologyFixture(stateDir, TopologyFixture.defaults())) {
            long scrapeTime = f.now();
            f.send(Samples.ok(POOL_A, "a1", scrapeTime).build());
            assertThat(f.drain()).singleElement().satisfies(r ->
                    assertThat(r.value().getEndpoints().get(0).getHealth()).isEqualTo(EndpointHealth.HEALTHY));

            f.advance(Duration.ofMillis(300));

            List<TestRecord<String, PoolState>> out = f.drain();
            assertThat(out).singleElement().satisfies(r -> {
                EndpointState endpoint = r.value().getEndpoints().get(0);
                assertThat(endpoint.getHealth()).isEqualTo(EndpointHealth.STALE);
                assertThat(endpoint.getMetricsAgeMs()).isEqualTo(r.value().getProducedAtMs() - scrapeTime)
                        .isGreaterThan(200);
            });
            f.advance(Duration.ofMillis(300));
            assertThat(f.drain()).as("an endpoint already published as stale is not republished").isEmpty();
        }
    }

    @Test
    void republishesStalenessFromThePublicationRecordAfterTheFirstSweep() {
        try (TopologyFixture f = new TopologyFixture(stateDir, TopologyFixture.defaults())) {
            step(f, 200);
            long start = f.now();
            f.send(Samples.ok(POOL_A, "a1", start).build());
            step(f, 150);
            f.send(Samples.ok(POOL_A, "a2", f.now()).build());
            step(f, 10);
            assertThat(last(f.drain()).getEndpoints()).extracting(EndpointState::getHealth)
                    .containsOnly(EndpointHealth.HEALTHY);

            step(f, 140);
            assertThat(f.drain()).as("a1 turned stale (age > 200 ms), a2 not yet (age <= 150 ms)").singleElement()
                    .satisfies(r -> assertThat(r.value().getEndpoints()).extracting(EndpointState::getHealth)
                            .containsExactly(EndpointHealth.STALE, EndpointHealth.HEALTHY));
            step(f, 200);
            assertThat(f.drain()).singleElement().satisfies(r -> assertThat(r.value().getEndpoints())
                    .extracting(EndpointState::getHealth).containsOnly(EndpointHealth.STALE));
            step(f, 400);
            assertThat(f.drain()).as("nothing turned stale since").isEmpty();
        }
    }

    /** Advances the wall clock by {@code millis} in 10 ms steps, so every punctuator runs on its own schedule. */
    private static void step(TopologyFixture f, long millis) {
        for (long done = 0; done < millis; done += 10) {
            f.advance(Duration.ofMillis(10));
        }
    }

    @Test
    void marksAnEndpointUnhealthyWhenItsLastScrapeFailed() {
        try (TopologyFixture f = new TopologyFixture(stateDir, TopologyFixture.defaults().withEmitInterval(Duration.ZERO))) {
            f.send(Samples.ok(POOL_A, "a1", f.now()).build());
            f.send(Samples.ok(POOL_A, "a1", f.now() + 1).setStatus(ScrapeStatus.TIMEOUT)
                    .setStatusMessage("no answer in 1000 ms").build());

            EndpointState endpoint = last(f.drain()).getEndpoints().get(0);
            assertThat(endpoint.getHealth()).isEqualTo(EndpointHealth.UNHEALTHY);
            assertThat(endpoint.getStatusMessage()).isEqualTo("no answer in 1000 ms");
        }
    }

    @Test
    void publishesAtMostOncePerIntervalAndTheLatestChangeWins() {
        try (TopologyFixture f = new TopologyFixture(stateDir,
                TopologyFixture.defaults().withEmitInterval(Duration.ofMillis(100)))) {
            f.send(Samples.ok(POOL_A, "a1", f.now()).setWaitingRequests(1).build());
            assertThat(f.drain()).as("a change after a quiet interval goes out at once").hasSize(1);

            f.send(Samples.ok(POOL_A, "a1", f.now() + 1).setWaitingRequests(2).build());
            f.send(Samples.ok(POOL_A, "a1", f.now() + 2).setWaitingRequests(3).build());
            f.send(Samples.ok(POOL_B, "b1", f.now()).build());
            assertThat(f.drain()).extracting(TestRecord::key).as("pool B is throttled on its own").containsExactly(POOL_B);

            f.advance(Duration.ofMillis(50));
            assertThat(f.drain()).as("still within the interval").isEmpty();
            f.advance(Duration.ofMillis(50));

            List<TestRecord<String, PoolState>> out = f.drain();
            assertThat(out).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo(POOL_A);
                assertThat(r.value().getVersion()).isEqualTo(2);
                assertThat(r.value().getEndpoints().get(0).getWaitingRequests()).isEqualTo(3);
            });
            f.advance(Duration.ofMillis(100));
            assertThat(f.drain()).as("nothing changed since").isEmpty();
        }
    }

    @Test
    void dropsEndpointsThatStaySilentLongerThanTheExpiry() {
        try (TopologyFixture f = new TopologyFixture(stateDir,
                TopologyFixture.defaults().withEndpointExpiry(Duration.ofSeconds(1)))) {
            f.send(Samples.ok(POOL_A, "a1", f.now()).build());
            f.send(Samples.ok(POOL_A, "a2", f.now()).build());
            f.advance(Duration.ofMillis(600));
            f.send(Samples.ok(POOL_A, "a2", f.now()).build());
            f.advance(Duration.ofMillis(600));
            f.send(Samples.ok(POOL_A, "a2", f.now()).build());
            f.advance(Duration.ofMillis(100)); // the sweep drops a1 (1.2 s older than the newest sample)
            f.advance(Duration.ofMillis(20)); // the emitter's next flush publishes the change

            PoolState last = last(f.drain());
            assertThat(last.getEndpoints()).extracting(EndpointState::getEndpointId).containsExactly("c1/ns/a2:8000");
            assertThat(f.meters.get(AggregatorMetrics.ENDPOINTS_EXPIRED).counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void aStalledStreamDropsNoEndpointWhoseNewerSamplesAreStillQueued() {
        try (TopologyFixture f = new TopologyFixture(stateDir,
                TopologyFixture.defaults().withEndpointExpiry(Duration.ofSeconds(1)))) {
            long scraped = f.now();
            f.send(Samples.ok(POOL_A, "a1", scraped).build());
            f.send(Samples.ok(POOL_A, "a2", scraped).build());
            // The stream thread falls 10 s behind: wall-clock punctuations run, but no input has been applied.
            f.advance(Duration.ofSeconds(10));
            // The queued samples, scraped while the thread was stalled, arrive only now.
            f.send(Samples.ok(POOL_A, "a1", scraped + 500).build());
            f.send(Samples.ok(POOL_A, "a2", scraped + 500).build());
            f.advance(Duration.ofMillis(100));

            PoolState last = last(f.drain());
            assertThat(last.getEndpoints()).extracting(EndpointState::getEndpointId)
                    .containsExactlyInAnyOrder("c1/ns/a1:8000", "c1/ns/a2:8000");
            assertThat(f.meters.get(AggregatorMetrics.ENDPOINTS_EXPIRED).counter().count()).isZero();
        }
    }

    @Test
    void sendsPoisonRecordsToTheDeadLetterTopicAndKeepsProcessing() {
        // TopologyTestDriver does not surface dead-letter records produced by the deserialization handler under
        // exactly_once_v2, so this semantic test runs at-least-once.
        try (TopologyFixture f = new TopologyFixture(stateDir, TopologyFixture.defaults().withEmitInterval(Duration.ZERO)
                .withProcessingGuarantee(dev.osprey.aggregator.ProcessingGuarantee.AT_LEAST_ONCE))) {
            byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
            f.rawMetrics.pipeInput(POOL_A.getBytes(StandardCharsets.UTF_8), poison);
            f.send(Samples.ok(POOL_A, "a1", f.now()).build());

            TestRecord<byte[], byte[]> dead = f.deadLetters.readRecord();
            assertThat(dead.value()).isEqualTo(poison);
            assertThat(dead.key()).isEqualTo(POOL_A.getBytes(StandardCharsets.UTF_8));
            assertThat(header(dead, DeadLetterHandler.HEADER_SOURCE_TOPIC)).isEqualTo(f.topics.endpointMetrics().name());
            assertThat(header(dead, DeadLetterHandler.HEADER_SOURCE_OFFSET)).isEqualTo("0");
            assertThat(header(dead, DeadLetterHandler.HEADER_ERROR_CLASS)).contains("SerializationException");
            assertThat(header(dead, DeadLetterHandler.HEADER_ERROR_MESSAGE)).contains("wire format");
            assertThat(f.deadLetters.isEmpty()).isTrue();
            assertThat(f.drain()).singleElement().satisfies(r ->
                    assertThat(r.value().getEndpoints()).hasSize(1));
            assertThat(f.meters.get(AggregatorMetrics.DEAD_LETTERS).counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void timesTheDelayFromScrapeToPublication() {
        try (TopologyFixture f = new TopologyFixture(stateDir,
                TopologyFixture.defaults().withEmitInterval(Duration.ofMillis(100)))) {
            f.send(Samples.ok(POOL_A, "a1", f.now() - 40).build());
            f.send(Samples.ok(POOL_A, "a1", f.now() - 20).build());
            f.advance(Duration.ofMillis(100));

            var timer = f.meters.get(AggregatorMetrics.END_TO_END_LATENCY).timer();
            assertThat(timer.count()).isEqualTo(2);
            assertThat(timer.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(120.0);
        }
    }

    private static PoolState last(List<TestRecord<String, PoolState>> records) {
        assertThat(records).isNotEmpty();
        return records.get(records.size() - 1).value();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
