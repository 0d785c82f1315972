package dev.osprey.aggregator.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.avro.ScrapeStatus;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a {@link PoolState} straight from a {@link PoolView} as Avro binary in the Confluent wire format — byte
 * for byte what the pool-state topic's Avro serializer writes for the same state, without building the Avro
 * objects or walking the schema: each endpoint's identity (id, address, port, engine) is encoded once per sample
 * and copied into every publication. The schema id and the layout are taken from, and checked against, the
 * topic's own serializer on first use; a PoolState schema this writer does not match fails that check instead of
 * producing records the registry schema would misread. Not thread-safe: one instance per stream task.
 */
final class PoolStateWriter {

    private static final byte MAGIC = 0;

    private final String topic;
    private final Serializer<PoolState> reference;
    private final AvroBinary out = new AvroBinary();
    private final long stalenessMs;
    private byte[] header;
    private final byte[] clusterUtf8;

    /**
     * @param topic the pool-state topic
     * @param reference the topic's Avro serializer: registers the schema and yields its id; also the layout check
     */
    PoolStateWriter(String topic, Serializer<PoolState> reference, String cluster, long stalenessMs) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.reference = Objects.requireNonNull(reference, "reference");
        this.clusterUtf8 = cluster.getBytes(StandardCharsets.UTF_8);
        this.stalenessMs = stalenessMs;
    }

    /** The wire bytes of {@code pool}'s state as of {@code producedAtMs} with {@code version}. */
    byte[] write(PoolView pool, long version, long producedAtMs) {
        ensureHeader();
        out.reset();
        out.writeBytes(header);
        out.writeUtf8(clusterUtf8);
        out.writeString(pool.poolId());
        out.writeLong(version);
        out.writeLong(producedAtMs);
        EndpointSlot[] slots = pool.slots();
        if (slots.length > 0) {
            out.writeLong(slots.length);
            for (EndpointSlot slot : slots) {
                writeEndpoint(slot.identity(), slot.sample(), producedAtMs, pool.inflight(slot.hostPort()));
            }
        }
        out.writeLong(0);
        return out.toByteArray();
    }

    /** Avro binary of the fields that identify an endpoint: endpointId, address, port, engine. */
    static byte[] identity(EndpointMetrics sample) {
        AvroBinary identity = new AvroBinary();
        identity.writeString(sample.getEndpointId());
        identity.writeString(sample.getAddress());
        identity.writeLong(sample.getPort());
        identity.writeLong(sample.getEngine().ordinal());
        return identity.toByteArray();
    }

    private void writeEndpoint(byte[] identity, EndpointMetrics sample, long producedAtMs,
            Map<String, Integer> inflight) {
        out.writeBytes(identity);
        out.writeLong(PoolStateAssembler.health(sample, producedAtMs, stalenessMs).ordinal());
        writeOptionalString(sample.getStatusMessage());
        out.writeLong(sample.getScrapeTimeMs());
        out.writeLong(Math.max(0, producedAtMs - sample.getScrapeTimeMs()));
        out.writeLong(sample.getWaitingRequests());
        out.writeLong(sample.getRunningRequests());
        out.writeDouble(sample.getKvCacheUtilization());
        writeStrings(sample.getRunningLoraAdapters());
        writeStrings(sample.getWaitingLoraAdapters());
        Integer maxLoraSlots = sample.getMaxLoraSlots();
        if (maxLoraSlots == null) {
            out.writeLong(0);
        } else {
            out.writeLong(1);
            out.writeLong(maxLoraSlots);
        }
        if (!inflight.isEmpty()) {
            out.writeLong(inflight.size());
            inflight.forEach((replica, count) -> {
                out.writeString(replica);
                out.writeLong(count);
            });
        }
        out.writeLong(0);
    }

    private void writeOptionalString(String value) {
        if (value == null) {
            out.writeLong(0);
        } else {
            out.writeLong(1);
            out.writeString(value);
        }
    }

    private void writeStrings(List<String> values) {
        if (!values.isEmpty()) {
            out.writeLong(values.size());
            for (String value : values) {
                out.writeString(value);
            }
        }
        out.writeLong(0);
    }

    private void ensureHeader() {
        if (header != null) {
            return;
        }
        PoolState probe = probe();
        byte[] expected = reference.serialize(topic, probe);
        header = Arrays.copyOf(expected, 5);
        if (expected[0] != MAGIC) {
            throw new IllegalStateException("the pool-state serializer does not write the Confluent wire format");
        }
        byte[] written = write(probeView(), probe.getVersion(), probe.getProducedAtMs());
        if (!Arrays.equals(expected, written)) {
            header = null;
            throw new IllegalStateException("PoolStateWriter does not match the PoolState schema "
                    + PoolState.getClassSchema().getFullName() + " any more: update it with the schema");
        }
    }

    /** A state touching every field and branch, for the layout check. */
    private PoolState probe() {
        PoolView view = probeView();
        EndpointSlot[] slots = view.slots();
        List<EndpointState> endpoints = Arrays.stream(slots).map(s -> PoolStateAssembler.endpointState(s.sample(),
                2_000L, stalenessMs, view.inflight(s.hostPort()))).toList();
        return new PoolState(new String(clusterUtf8, StandardCharsets.UTF_8), view.poolId(), 7L, 2_000L, endpoints);
    }

    private PoolView probeView() {
        PoolView view = new PoolView("probe/ns/pool");
        view.add("probe/ns/a:8000", "k1", EndpointMetrics.newBuilder().setCluster("c").setSequence(1)
                .setEndpointId("probe/ns/a:8000").setPoolId("probe/ns/pool").setAddress("10.0.0.1").setPort(8000)
                .setEngine(Engine.SGLANG).setScrapeTimeMs(1_900L).setStatus(ScrapeStatus.OK).setWaitingRequests(3)
                .setRunningRequests(-2).setKvCacheUtilization(0.25).setRunningLoraAdapters(List.of("sql", "chät"))
                .setWaitingLoraAdapters(List.of("x")).setMaxLoraSlots(4).build());
        view.add("probe/ns/b:8000", "k2", EndpointMetrics.newBuilder().setCluster("c").setSequence(2)
                .setEndpointId("probe/ns/b:8000").setPoolId("probe/ns/pool").setAddress("fd00::1").setPort(9000)
                .setEngine(Engine.VLLM).setScrapeTimeMs(1_000L).setStatus(ScrapeStatus.TIMEOUT)
                .setStatusMessage("no answer").setRunningLoraAdapters(List.of()).setWaitingLoraAdapters(List.of())
                .build());
        view.setInflight("10.0.0.1:8000", Map.of("epp-0", 2));
        return view;
    }
}
