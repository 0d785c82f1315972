package dev.osprey.aggregator.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.avro.ScrapeStatus;
import dev.osprey.schemas.kafka.AvroSerde;
import dev.osprey.schemas.registry.InMemorySchemaRegistry;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class PoolStateWriterTest {

    private static final String TOPIC = "t.pool-state";
    private static final long STALENESS_MS = 200;

    private final AvroSerde<PoolState> serde = AvroSerde.forValues(new InMemorySchemaRegistry(), PoolState.class);

    @Test
    void writesTheSameBytesAsTheTopicsAvroSerializer() {
        PoolStateWriter writer = new PoolStateWriter(TOPIC, serde, "c1", STALENESS_MS);
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            PoolView view = randomView(random);
            long version = 1 + random.nextInt(1_000_000);
            long now = 1_700_000_000_000L + random.nextInt(1_000);

            byte[] written = writer.write(view, version, now);

            assertThat(written).as("round " + round).isEqualTo(serde.serialize(TOPIC, expected(view, version, now)));
            assertThat(serde.deserialize(TOPIC, written)).isEqualTo(expected(view, version, now));
        }
    }

    @Test
    void writesAPoolWithoutEndpoints() {
        PoolStateWriter writer = new PoolStateWriter(TOPIC, serde, "c1", STALENESS_MS);
        PoolView empty = new PoolView("c1/ns/gone");

        assertThat(serde.deserialize(TOPIC, writer.write(empty, 9, 5_000L)))
                .isEqualTo(new PoolState("c1", "c1/ns/gone", 9L, 5_000L, List.of()));
    }

    @Test
    void refusesToWriteWhenTheSerializerDisagreesWithItsLayout() {
        Serializer<PoolState> other = (topic, state) -> {
            byte[] bytes = serde.serialize(topic, state);
            return Arrays.copyOf(bytes, bytes.length + 1);
        };
        PoolStateWriter writer = new PoolStateWriter(TOPIC, other, "c1", STALENESS_MS);

        assertThatThrownBy(() -> writer.write(new PoolView("c1/ns/p"), 1, 1L))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PoolState schema");
    }

    private static PoolState expected(PoolView view, long version, long now) {
        List<EndpointState> endpoints = Arrays.stream(view.slots()).map(slot -> PoolStateAssembler.endpointState(
                slot.sample(), now, STALENESS_MS, view.inflight(slot.hostPort()))).toList();
        return new PoolState("c1", view.poolId(), version, now, endpoints);
    }

    private static PoolView randomView(Random random) {
        PoolView view = new PoolView("c1/ns/pool-" + random.nextInt(5));
        int endpoints = random.nextInt(6);
        for (int e = 0; e < endpoints; e++) {
            String id = "c1/ns/pod-" + random.nextInt(1000) + ":8000";
            String address = random.nextBoolean() ? "10.0.0." + random.nextInt(255) : "fd00::" + random.nextInt(99);
            int port = 1 + random.nextInt(65535);
            boolean ok = random.nextInt(4) > 0;
            EndpointMetrics sample = EndpointMetrics.newBuilder().setCluster("c1").setSequence(random.nextLong())
                    .setEndpointId(id).setPoolId(view.poolId()).setAddress(address).setPort(port)
                    .setEngine(Engine.values()[random.nextInt(Engine.values().length)])
                    .setScrapeTimeMs(1_700_000_000_000L - random.nextInt(2_000) + random.nextInt(200))
                    .setStatus(ok ? ScrapeStatus.OK : ScrapeStatus.HTTP_ERROR)
                    .setStatusMessage(ok ? null : "status 50" + random.nextInt(10) + " ünïcode")
                    .setWaitingRequests(random.nextInt(100_000) - 10).setRunningRequests(random.nextInt())
                    .setKvCacheUtilization(random.nextDouble())
                    .setRunningLoraAdapters(adapters(random)).setWaitingLoraAdapters(adapters(random))
                    .setMaxLoraSlots(random.nextBoolean() ? null : random.nextInt(64)).build();
            if (view.slot(id) == null) {
                view.add(id, "k" + e, sample);
                if (random.nextBoolean()) {
                    view.setInflight(PoolStateAssembler.hostPort(address, port), random.nextBoolean()
                            ? Map.of("epp-0", 1 + random.nextInt(500))
                            : new InflightCounts(Map.of("epp-0", 3, "epp-1", 1 + random.nextInt(9), "epp-2", 70))
                                    .byReplica());
                }
            }
        }
        return view;
    }

    private static List<String> adapters(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> List.of();
            case 1 -> List.of("sql-lora");
            default -> List.of("a" + random.nextInt(9), "b", "chat-ë");
        };
    }
}
