package dev.osprey.aggregator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.PoolState;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InflightAndResidencyTest {

    private static final String POOL = "c1/ns/pool-a";

    @TempDir
    Path stateDir;

    @Test
    void countsRoutedRequestsPerReplicaUntilTheirOutcomeArrives() {
        try (TopologyFixture f = new TopologyFixture(stateDir, TopologyFixture.defaults().withEmitInterval(Duration.ZERO))) {
            EndpointMetrics a1 = Samples.ok(POOL, "a1", f.now()).build();
            String hostPort = a1.getAddress() + ":8000";
            f.send(a1);
            f.decide(POOL, "r1", "epp-0", hostPort);
            f.decide(POOL, "r2", "epp-0", hostPort);
            f.decide(POOL, "r3", "epp-1", hostPort);
            assertThat(inflight(last(f.drain()))).isEqualTo(Map.of("epp-0", 2, "epp-1", 1));

            f.finish(POOL, "r1", "epp-0", hostPort);
            f.finish(POOL, "r3", "epp-1", hostPort);
            assertThat(inflight(last(f.drain()))).isEqualTo(Map.of("epp-0", 1));
        }
    }

    @Test
    void anOutcomeBeforeItsDecisionLeavesNothingInFlight() {
        try (TopologyFixture f = new TopologyFixture(stateDir, TopologyFixture.defaults().withEmitInterval(Duration.ZERO))) {
            EndpointMetrics a1 = Samples.ok(POOL, "a1", f.now()).build();
            String hostPort = a1.getAddress() + ":8000";
            f.send(a1);
            f.finish(POOL, "r1", "epp-0", hostPort);
            f.decide(POOL, "r1", "epp-0", hostPort);
            f.send(Samples.ok(POOL, "a1", f.now() + 1).build());

            assertThat(inflight(last(f.drain()))).isEmpty();
        }
    }

    @Test
    void forgetsRequestsWhoseOutcomeIsOverdue() {
        try (TopologyFixture f = new TopologyFixture(stateDir, TopologyFixture.defaults()
                .withInflightTimeout(Duration.ofSeconds(2)).withEndpointExpiry(Duration.ofMinutes(1)))) {
            EndpointMetrics a1 = Samples.ok(POOL, "a1", f.now()).build();
            String hostPort = a1.getAddress() + ":8000";
            f.send(a1);
            f.decide(POOL, "lost", "epp-0", hostPort);
            f.advance(Duration.ofMillis(20));
            assertThat(inflight(last(f.drain()))).isEqualTo(Map.of("epp-0", 1));

            f.advance(Duration.ofMillis(2100));
            f.advance(Duration.ofMillis(20));

            assertThat(inflight(last(f.drain()))).isEmpty();
            assertThat(f.meters.get(AggregatorMetrics.INFLIGHT_EVENTS).tag("kind", "timed_out").counter().count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void tracksWhereEachAdapterRunsWaitsAndCouldBeLoaded() {
        try (TopologyFixture f = new TopologyFixture(stateDir, TopologyFixture.defaults())) {
            f.send(Samples.ok(POOL, "a1", f.now()).setRunningLoraAdapters(List.of("sql", "chat"))
                    .setMaxLoraSlots(4).build());
            f.send(Samples.ok(POOL, "a2", f.now()).setRunningLoraAdapters(List.of("chat"))
                    .setWaitingLoraAdapters(List.of("sql")).setMaxLoraSlots(1).build());
            KeyValueStore<String, AdapterResidency> store = f.driver.getKeyValueStore(
                    AggregatorTopology.ADAPTER_RESIDENCY_STORE);

            assertThat(store.get(StoreKeys.endpointKey(POOL, "sql"))).isEqualTo(new AdapterResidency(
                    List.of("c1/ns/a1:8000"), List.of("c1/ns/a2:8000"), Map.of()));
            assertThat(store.get(StoreKeys.endpointKey(POOL, "chat"))).isEqualTo(new AdapterResidency(
                    List.of("c1/ns/a1:8000", "c1/ns/a2:8000"), List.of(), Map.of()));

            f.send(Samples.ok(POOL, "a1", f.now() + 1).setRunningLoraAdapters(List.of("chat")).setMaxLoraSlots(4)
                    .build());

            assertThat(store.get(StoreKeys.endpointKey(POOL, "sql"))).isEqualTo(new AdapterResidency(
                    List.of(), List.of("c1/ns/a2:8000"), Map.of("c1/ns/a1:8000", 3)));
            f.send(Samples.ok(POOL, "a2", f.now() + 1).setRunningLoraAdapters(List.of("chat")).setMaxLoraSlots(1)
                    .build());
            assertThat(store.get(StoreKeys.endpointKey(POOL, "sql"))).as("no endpoint names sql any more").isNull();
        }
    }

    private static Map<String, Integer> inflight(PoolState state) {
        assertThat(state.getEndpoints()).hasSize(1);
        EndpointState endpoint = state.getEndpoints().get(0);
        return endpoint.getInflightByReplica();
    }

    private static PoolState last(List<TestRecord<String, PoolState>> records) {
        assertThat(records).isNotEmpty();
        return records.get(records.size() - 1).value();
    }
}
