package dev.osprey.epp.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.PoolState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolStatesTest {

    private static EndpointState endpoint(String ip, Map<String, Integer> inflight) {
        return EndpointState.newBuilder().setEndpointId("local/ns/pod-" + ip + ":8000").setAddress(ip).setPort(8000)
                .setEngine(Engine.VLLM).setHealth(dev.osprey.schemas.avro.EndpointHealth.STALE)
                .setScrapeTimeMs(100).setMetricsAgeMs(7).setWaitingRequests(2).setRunningRequests(3)
                .setKvCacheUtilization(0.5).setRunningLoraAdapters(List.of("x")).setMaxLoraSlots(4)
                .setInflightByReplica(inflight).build();
    }

    @Test
    void sumsTheOtherReplicasInflightAndLeavesOutOwn() {
        PoolState state = PoolState.newBuilder().setCluster("local").setPoolId("local/ns/pool").setVersion(9)
                .setProducedAtMs(107).setEndpoints(List.of(
                        endpoint("10.0.0.1", Map.of("epp-a", 4, "epp-b", 3, "epp-c", 2)),
                        endpoint("10.0.0.2", Map.of("epp-a", 5)),
                        endpoint("10.0.0.3", Map.of())))
                .build();
        PoolSnapshot snapshot = PoolStates.toSnapshot(state, "epp-a");
        assertThat(snapshot.endpoints()).extracting(EndpointSnapshot::peerInflight).containsExactly(5, 0, 0);
        assertThat(PoolStates.toSnapshot(state, "epp-z").endpoints()).extracting(EndpointSnapshot::peerInflight)
                .containsExactly(9, 5, 0);
        EndpointSnapshot first = snapshot.endpoints().get(0);
        assertThat(first.health()).isEqualTo(EndpointHealth.STALE);
        assertThat(first.waitingRequests()).isEqualTo(2);
        assertThat(first.runningAdapters()).containsExactly("x");
        assertThat(first.maxLoraSlots()).isEqualTo(4);
        assertThat(first.withHealth(EndpointHealth.HEALTHY).peerInflight()).isEqualTo(5);
        assertThat(snapshot.version()).isEqualTo(9);
    }
}
