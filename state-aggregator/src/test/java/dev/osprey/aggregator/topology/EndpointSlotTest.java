package dev.osprey.aggregator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.ScrapeStatus;
import org.junit.jupiter.api.Test;

class EndpointSlotTest {

    @Test
    void identityIsEncodedAgainOnlyWhenAnIdentityFieldChanges() {
        EndpointSlot slot = new EndpointSlot("pod-1:8000", "pool|pod-1:8000", sample("10.0.0.1", 8000, 1));
        byte[] first = slot.identity();

        slot.update(sample("10.0.0.1", 8000, 2));
        assertThat(slot.identity()).isSameAs(first);

        slot.update(sample("10.0.0.2", 8000, 3));
        assertThat(slot.identity()).isNotSameAs(first).isEqualTo(PoolStateWriter.identity(sample("10.0.0.2", 8000, 4)));
        assertThat(slot.hostPort()).isEqualTo("10.0.0.2:8000");
    }

    private static EndpointMetrics sample(String address, int port, long sequence) {
        return EndpointMetrics.newBuilder().setCluster("c").setCollectorId("k").setSequence(sequence)
                .setEndpointId("pod-1:8000").setPoolId("pool").setAddress(address).setPort(port)
                .setEngine(Engine.VLLM).setScrapeTimeMs(sequence).setStatus(ScrapeStatus.OK).setWaitingRequests(0)
                .setRunningRequests(0).setKvCacheUtilization(0).setRunningLoraAdapters(List.of())
                .setWaitingLoraAdapters(List.of()).build();
    }
}
